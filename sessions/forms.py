"""Forms of the trainer's session pages."""

from flask_wtf import FlaskForm
from wtforms import DateField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

from sessions.models import KIND_LABELS


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
