"""Forms of the staff pages (Flask-WTF: every form carries a CSRF token)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    EmailField,
    IntegerField,
    PasswordField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional


class ButtonForm(FlaskForm):
    """A form of one button: only its CSRF token."""


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


ROLE_WORDS = {"trainer": _l("Trainer"), "staff": _l("Staff"), "admin": _l("Admin")}
ORGANISATION_WORDS = {
    "city": _l("City"),
    "association": _l("Association"),
    "region": _l("Region"),
    "other": _l("Other"),
}


class AccountForm(FlaskForm):
    """An admin invites someone of their organisation."""

    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    email = EmailField(_l("Email"), validators=[DataRequired(), Length(max=254)])
    role = SelectField(
        _l("Role"), choices=[SelectChoice(k, v) for k, v in ROLE_WORDS.items()], default="trainer"
    )


class OrganisationForm(FlaskForm):
    """An admin makes another organisation with its first admin (a district, a partner)."""

    organisation = StringField(_l("Organisation"), validators=[DataRequired(), Length(max=160)])
    kind = SelectField(
        _l("Kind"),
        choices=[SelectChoice(k, v) for k, v in ORGANISATION_WORDS.items()],
        default="city",
    )
    name = StringField(_l("Its admin's name"), validators=[DataRequired(), Length(max=120)])
    email = EmailField(_l("Its admin's email"), validators=[DataRequired(), Length(max=254)])


class RenameForm(FlaskForm):
    organisation = StringField(_l("Name"), validators=[DataRequired(), Length(max=160)])
    kind = SelectField(
        _l("Kind"), choices=[SelectChoice(k, v) for k, v in ORGANISATION_WORDS.items()]
    )


class PasswordForm(FlaskForm):
    password = PasswordField(_l("New password"), validators=[DataRequired(), Length(max=200)])
    again = PasswordField(_l("The same password again"), validators=[DataRequired()])


class SettingsForm(FlaskForm):
    """A process's settings: what its pages and covers say, how long data is kept."""

    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    city = StringField(_l("City"), validators=[DataRequired(), Length(max=120)])
    languages = StringField(
        _l("Languages"),
        description=_l("Language codes, the main one first: it, en, zh, ar..."),
        validators=[DataRequired(), Length(max=200)],
    )
    partners = TextAreaField(
        _l("Partners"),
        description=_l("One a line, as the covers should print them."),
        validators=[Length(max=2000)],
    )
    funding_line = TextAreaField(_l("Funding line"), validators=[Length(max=1000)])
    eu_funded = BooleanField(_l("Funded by the EU (AMIF/FAMI): print the EU emblem"))
    eu_statement = TextAreaField(
        _l("Funding statement beside the EU emblem"), validators=[Length(max=1000)]
    )
    retention_months = IntegerField(
        _l("Keep personal data for (months after the last session)"),
        validators=[DataRequired(), NumberRange(min=1, max=120)],
    )
    consent_wording = TextAreaField(
        _l("Consent wording"),
        description=_l(
            "Said on the tablets above the consent question, e.g. who will read the Report."
        ),
        validators=[Length(max=1000)],
    )
    team = SelectMultipleField(_l("Trainers on this process"), coerce=int, validate_choice=False)
    shares = SelectMultipleField(
        _l("Shared with (they may read it)"), coerce=int, validate_choice=False
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
