"""Forms of the staff pages (Flask-WTF: every form carries a CSRF token)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    IntegerField,
    PasswordField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange


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
