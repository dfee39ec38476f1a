"""Forms of the staff pages (Flask-WTF: every form carries a CSRF token)."""

from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, Length


class LoginForm(FlaskForm):
    email = EmailField("Email", validators=[DataRequired(), Length(max=254)])
    password = PasswordField("Password", validators=[DataRequired()])


class WorkshopForm(FlaskForm):
    title = StringField("Title", validators=[DataRequired(), Length(max=200)])
    city = StringField("City", validators=[DataRequired(), Length(max=120)])
    languages = StringField(
        "Languages",
        default="it, en",
        description="Language codes, separated by commas: it, en, zh, ar...",
        validators=[DataRequired(), Length(max=200)],
    )
