"""Forms of the staff pages (Flask-WTF: every form carries a CSRF token)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    DecimalField,
    EmailField,
    PasswordField,
    SelectChoice,
    SelectField,
    StringField,
    TimeField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional


class LoginForm(FlaskForm):
    email = EmailField(_l("Email"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired()])


class WorkshopForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    city = StringField(_l("City"), validators=[DataRequired(), Length(max=120)])
    languages = StringField(
        _l("Languages"),
        default="it, en",
        description=_l("Language codes, separated by commas: it, en, zh, ar..."),
        validators=[DataRequired(), Length(max=200)],
    )


# The words of the activity kinds, in the page's language.
ACTIVITY_KIND_WORDS = {
    "training": _l("Training"),
    "study_visit": _l("Study visit"),
    "partnership_meeting": _l("Partnership meeting"),
    "public_event": _l("Public event"),
}


class ActivityForm(FlaskForm):
    """An activity that is not a live session (on the process page beside the new-session
    form: its template gives its fields their own ids)."""

    kind = SelectField(
        _l("Kind"),
        choices=[SelectChoice(kind, label) for kind, label in ACTIVITY_KIND_WORDS.items()],
        validators=[DataRequired()],
    )
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    date = DateField(_l("Date"), validators=[DataRequired()])
    start_time = TimeField(_l("Starts at"), validators=[Optional()])
    end_time = TimeField(_l("Ends at"), validators=[Optional()])
    place = StringField(_l("Place"), validators=[Optional(), Length(max=200)])
    course = StringField(
        _l("Course"),
        description=_l("The meetings of one training course share its name."),
        validators=[Optional(), Length(max=200)],
    )


class AttendeeForm(FlaskForm):
    """Who took part in an activity: someone of the process, a trainer, or someone new."""

    who = SelectField(_l("Who"), validators=[DataRequired()], validate_choice=True)
    name = StringField(_l("Name of someone new"), validators=[Optional(), Length(max=60)])
    role = SelectField(
        _l("Role"),
        choices=[
            SelectChoice("migrant", _l("participant")),
            SelectChoice("decision_maker", _l("decision maker")),
            SelectChoice("mediator", _l("mediator")),
        ],
        validators=[Optional()],
    )
    language = StringField(_l("Language"), default="it", validators=[Optional(), Length(max=16)])
    hours = DecimalField(
        _l("Hours"),
        places=2,
        description=_l("Empty: the whole activity."),
        validators=[Optional(), NumberRange(min=0, max=24)],
    )
