from wtforms import BooleanField, EmailField, PasswordField, RadioField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional

from forum.accounts.forms import SignUpForm
from forum.forms import ForumForm
from forum.services.privacy import BIO_MAX, CONDITION_MAX, COUNTRY_MAX

PRIVATE = "Private unless you tick the box below it."


class ProfileForm(ForumForm):
    bio = TextAreaField("About me (optional)", description=PRIVATE, validators=[Optional(), Length(max=BIO_MAX)])
    show_bio = BooleanField("Show “About me” on my profile")
    condition = StringField(
        "My condition (optional)", description="For example hemifacial spasm or blepharospasm. " + PRIVATE,
        validators=[Optional(), Length(max=CONDITION_MAX)],
    )
    show_condition = BooleanField("Show my condition on my profile")
    country = StringField("Country (optional)", description=PRIVATE, validators=[Optional(), Length(max=COUNTRY_MAX)])
    show_country = BooleanField("Show my country on my profile")


class DeleteAccountForm(ForumForm):
    posts = RadioField(
        "What should happen to your posts?",
        choices=[
            ("keep", "Keep my posts for others to read, shown as written by “former member”"),
            ("remove", "Remove the text of all my posts and the titles of my topics"),
        ],
        validators=[DataRequired("Please choose what happens to your posts.")],
    )
    password = PasswordField(
        "Your password", description="To make sure it is you.",
        validators=[DataRequired("Please enter your password."), Length(max=200)],
    )


class ForgotPasswordForm(ForumForm):
    email = EmailField(
        "Email address", validators=[DataRequired("Please enter your email address."), Email("Please enter a valid email address."), Length(max=254)]
    )


class ResetPasswordForm(ForumForm):
    # The same rules and messages as when signing up.
    password = SignUpForm.password
    confirm = SignUpForm.confirm


class ChangePasswordForm(ForumForm):
    current_password = PasswordField(
        "Current password", validators=[DataRequired("Please enter your current password."), Length(max=200)]
    )
    new_password = PasswordField(
        "New password", description=SignUpForm.password.kwargs["description"],
        validators=SignUpForm.password.kwargs["validators"],
    )
    confirm_password = PasswordField(
        "Confirm new password",
        validators=[DataRequired("Please type your new password again."), EqualTo("new_password", "The two passwords do not match.")],
    )


class ChangeEmailForm(ForumForm):
    new_email = EmailField(
        "New email address", description="We send a link there: your address changes when you open it.",
        validators=[DataRequired("Please enter your new email address."), Email("Please enter a valid email address."), Length(max=254)],
    )
    email_password = PasswordField(
        "Your password", description="To make sure it is you.",
        validators=[DataRequired("Please enter your password."), Length(max=200)],
    )
