"""Forms of the trainer's session pages."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    IntegerField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import DataRequired, Length, Optional

from sessions.models import COMMITMENT_STATUSES, KIND_LABELS

# The words of KIND_LABELS and of the commitment statuses, in the page's language.
KIND_WORDS = {
    "listening": _l("Listening session"),
    "face_to_face": _l("Face-to-face meeting"),
    "co_projecting": _l("Co-projecting workshop"),
}
STATUS_WORDS = {
    "open": _l("open"),
    "in_progress": _l("in progress"),
    "done": _l("done"),
    "dropped": _l("dropped"),
}


class SessionForm(FlaskForm):
    kind = SelectField(
        _l("Kind"),
        choices=[
            SelectChoice(kind, KIND_WORDS.get(kind, label)) for kind, label in KIND_LABELS.items()
        ],
        validators=[DataRequired()],
    )
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    date = DateField(_l("Date"), validators=[Optional()])
    start_time = TimeField(_l("Starts at"), validators=[Optional()])
    end_time = TimeField(_l("Ends at"), validators=[Optional()])
    place = StringField(_l("Place"), validators=[Optional(), Length(max=200)])


class ActionForm(FlaskForm):
    """A bare form: a button that posts, protected by its CSRF token."""


class CommitmentUpdateForm(FlaskForm):
    commitment_id = IntegerField(validators=[DataRequired()])
    status = SelectField(
        _l("Status"),
        choices=[
            SelectChoice(s, STATUS_WORDS.get(s, s.replace("_", " "))) for s in COMMITMENT_STATUSES
        ],
        validators=[DataRequired()],
    )
    public_update = TextAreaField(_l("Public update"), validators=[Optional(), Length(max=1000)])
