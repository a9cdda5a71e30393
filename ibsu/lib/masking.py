"""Masking of personal data for logs, audit entries and admin lists."""


def mask_nik(nik: str) -> str:
    """Keep only the last 4 digits of a national ID number."""
    if len(nik) <= 4:
        return "*" * len(nik)
    return "*" * (len(nik) - 4) + nik[-4:]


def mask_email(email: str) -> str:
    """s***@example.com: enough for the owner to recognise, little for others."""
    local, sep, domain = email.partition("@")
    if not sep:
        return mask_nik(email)
    return f"{local[:1]}***@{domain}"


def mask_name(name: str) -> str:
    """S***i W****o: first and last letter of each word."""
    return " ".join(
        word if len(word) <= 2 else word[0] + "*" * (len(word) - 2) + word[-1]
        for word in name.split()
    )


def mask_account(number: str) -> str:
    """A bank account number as statements show it: only the last 4 digits."""
    return "····" + number[-4:] if number else ""


def mask_phone(phone: str) -> str:
    if len(phone) <= 4:
        return "*" * len(phone)
    return phone[:3] + "*" * (len(phone) - 6) + phone[-3:]
