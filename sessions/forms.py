"""Forms of the trainer's session pages."""

from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from sessions.models import COMMITMENT_STATUSES, KIND_LABELS


class SessionForm(FlaskForm):
    kind = SelectField(
        "Kind",
        choices=[SelectChoice(kind, label) for kind, label in KIND_LABELS.items()],
        validators=[DataRequired()],
    )
    title = StringField("Title", validators=[DataRequired(), Length(max=200)])
    date = DateField("Date", validators=[Optional()])
    place = StringField("Place", validators=[Optional(), Length(max=200)])


class ActionForm(FlaskForm):
    """A bare form: a button that posts, protected by its CSRF token."""


class CommitmentUpdateForm(FlaskForm):
    commitment_id = IntegerField(validators=[DataRequired()])
    status = SelectField(
        "Status",
        choices=[SelectChoice(s, s.replace("_", " ")) for s in COMMITMENT_STATUSES],
        validators=[DataRequired()],
    )
    public_update = TextAreaField("Public update", validators=[Optional(), Length(max=1000)])
