from wtforms import BooleanField, EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length, Regexp, ValidationError

from forum.forms import ForumForm
from forum.services import accounts


class SignUpForm(ForumForm):
    username = StringField(
        "Username (your pseudonym)",
        description="3 to 30 characters: letters, digits, _ and -. This is the only name other members see.",
        validators=[
            DataRequired("Please choose a username."),
            Regexp(accounts.USERNAME_RE, message="Usernames are 3 to 30 characters: letters, digits, _ and - only."),
        ],
    )
    email = EmailField(
        "Email address",
        description="Never shown to other members.",
        validators=[DataRequired("Please enter your email address."), Email("Please enter a valid email address."), Length(max=254)],
    )
    password = PasswordField(
        "Password",
        description=f"At least {accounts.PASSWORD_MIN} characters, and not your username.",
        validators=[DataRequired("Please choose a password."), Length(accounts.PASSWORD_MIN, 200, f"Passwords must be at least {accounts.PASSWORD_MIN} characters long.")],
    )
    confirm = PasswordField(
        "Confirm password",
        validators=[DataRequired("Please type your password again."), EqualTo("password", "The two passwords do not match.")],
    )

    def validate_username(self, field) -> None:
        if accounts.username_taken(field.data or ""):
            raise ValidationError("That username is already taken.")

    def validate_password(self, field) -> None:
        if (field.data or "").strip().lower() == (self.username.data or "").strip().lower():
            raise ValidationError("Your password cannot be your username.")


class SignInForm(ForumForm):
    login = StringField("Username or email", validators=[DataRequired("Please enter your username or email."), Length(max=254)])
    password = PasswordField("Password", validators=[DataRequired("Please enter your password."), Length(max=200)])
    remember = BooleanField("Remember me on this device")


class SignInCodeForm(ForumForm):
    code = StringField(
        "Code",
        description="The 6-digit code your authenticator app shows now, or one of your recovery codes.",
        validators=[DataRequired("Please enter the code."), Length(max=40, message="That is longer than any code.")],
    )


class TwoFactorConfirmForm(ForumForm):
    code = StringField(
        "Code from your app",
        description="After adding the key, your app shows a 6-digit code that changes every 30 seconds.",
        validators=[DataRequired("Please enter the code your app shows."), Length(max=20, message="That is longer than any code.")],
    )


class TwoFactorDisableForm(ForumForm):
    password = PasswordField("Your password", validators=[DataRequired("Please enter your password."), Length(max=200)])
    code = StringField(
        "Code",
        description="The 6-digit code from your app, or one of your recovery codes.",
        validators=[DataRequired("Please enter a code."), Length(max=40, message="That is longer than any code.")],
    )
