"""The emails' texts in French and English (plain templates until the page's gettext catalogs)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.candidate_links.rules import Language

INVITATION_SUBJECT: dict[Language, str] = {
    "fr": "Choisissez l'horaire de votre entretien : {stage}",
    "en": "Choose the time of your interview: {stage}",
}
INVITATION_TEXT: dict[Language, str] = {
    "fr": (
        "Bonjour {first_name},\n\n"
        "Merci pour votre candidature au poste de {role}. Pour l'étape « {stage} » "
        "({minutes} min), choisissez l'horaire qui vous convient sur cette page :\n\n"
        "{url}\n\n"
        "Ce lien vous est personnel ; il est valable jusqu'au {expires}.\n\n"
        "À bientôt,\nL'équipe de recrutement\n"
    ),
    "en": (
        "Hello {first_name},\n\n"
        "Thank you for applying for the {role} position. For the “{stage}” step "
        "({minutes} min), choose the time that suits you on this page:\n\n"
        "{url}\n\n"
        "This link is personal; it is valid until {expires}.\n\n"
        "Best regards,\nThe recruiting team\n"
    ),
}
CONFIRMATION_SUBJECT: dict[Language, str] = {
    "fr": "Entretien confirmé : {stage}, le {when}",
    "en": "Interview confirmed: {stage}, {when}",
}
CONFIRMATION_TEXT: dict[Language, str] = {
    "fr": (
        "Bonjour {first_name},\n\n"
        "Votre entretien « {stage} » pour le poste de {role} est confirmé le {when} "
        "(heure de {zone}).\n{where}\n\n"
        "L'invitation est jointe (fichier .ics). Pour déplacer ou annuler l'entretien, "
        "jusqu'à 24 heures avant, utilisez le même lien :\n{url}\n\n"
        "À bientôt,\nL'équipe de recrutement\n"
    ),
    "en": (
        "Hello {first_name},\n\n"
        "Your “{stage}” interview for the {role} position is confirmed for {when} "
        "({zone} time).\n{where}\n\n"
        "The invitation is attached (.ics file). To move or cancel it, until 24 hours "
        "before, use the same link:\n{url}\n\n"
        "Best regards,\nThe recruiting team\n"
    ),
}
VIDEO: dict[Language, str] = {"fr": "Lien de la visio : {}", "en": "Video link: {}"}
OFFICE: dict[Language, str] = {"fr": "Adresse : {}", "en": "Address: {}"}
MONTHS_FR = (
    "janvier février mars avril mai juin juillet août septembre octobre novembre décembre"
).split()
DAYS_FR = "lundi mardi mercredi jeudi vendredi samedi dimanche".split()


def moment(at: datetime, zone: ZoneInfo, language: Language) -> str:
    """A date and time as a reader of `language` writes it, in `zone`."""
    local = at.astimezone(zone)
    if language == "fr":
        day = DAYS_FR[local.weekday()]
        return f"{day} {local.day} {MONTHS_FR[local.month - 1]} {local.year} à {local:%H:%M}"
    return f"{local:%A} {local.day} {local:%B %Y} at {local:%H:%M}"


def where(video_link: str | None, address: str | None, language: Language) -> str:
    if video_link:
        return VIDEO[language].format(video_link)
    if address:
        return OFFICE[language].format(address)
    return ""
