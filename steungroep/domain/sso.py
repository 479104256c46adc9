"""Rules for signing in with a school's own accounts (OpenID Connect), without Flask.

Who may sign in: an existing, active staff account of the school whose provider signed the
ID token, found by the e-mail address the provider vouches for. Nobody is ever created here.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from steungroep.domain.errors import DomainError
from steungroep.domain.i18n import N_, translate

MAX_ISSUER = 300
MAX_CLIENT_ID = 200
MAX_SECRET = 1000
LOOPBACK_NAMES = {"localhost"}
ENDPOINTS = ("authorization_endpoint", "token_endpoint", "jwks_uri", "userinfo_endpoint",
             "end_session_endpoint")
# Providers whose endpoints live on other hosts of their own than the issuer's.
OTHER_OWN_HOSTS = {
    "accounts.google.com": {"oauth2.googleapis.com", "www.googleapis.com",
                            "openidconnect.googleapis.com"},
}


def _loopback(host: str) -> bool:
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def clean_issuer(url: str, *, allow_loopback: bool = False) -> str:
    """The issuer as typed, checked: https, no query or fragment, no trailing slash; an
    address on this machine itself (http allowed) only while trying out (``allow_loopback``,
    config SSO_ALLOW_LOOPBACK): otherwise the check would knock on the server's own ports.
    Raises DomainError for the field 'issuer'."""
    url = (url or "").strip()
    if not url:
        raise DomainError(N_("Vul de uitgever (issuer) van je inlogdienst in."), "issuer")
    if len(url) > MAX_ISSUER:
        raise DomainError(N_("Het adres is te lang (meer dan %(max)s tekens)."), "issuer",
                          max=MAX_ISSUER)
    if any(c.isspace() for c in url):
        raise DomainError(N_("Er staat een spatie in het adres van de uitgever."), "issuer")
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.scheme not in ("https", "http") or not host:
        raise DomainError(N_("Het adres van de uitgever begint met https://, bijvoorbeeld "
                             "https://login.microsoftonline.com/…/v2.0."), "issuer")
    if _loopback(host) and not allow_loopback:
        raise DomainError(N_("Het adres van de uitgever wijst naar deze server zelf; dat kan "
                             "alleen om uit te proberen."), "issuer")
    if parts.scheme == "http" and not _loopback(host):
        raise DomainError(N_("De uitgever moet een https-adres hebben."), "issuer")
    if parts.query or parts.fragment or parts.username or parts.password:
        raise DomainError(N_("Het adres van de uitgever heeft geen ?, # of inlognaam."),
                          "issuer")
    return url.rstrip("/")


def clean_client(client_id: str, secret: str, *, has_secret: bool) -> tuple[str, str]:
    """The client id and secret as typed; an empty secret keeps the stored one."""
    client_id = (client_id or "").strip()
    secret = (secret or "").strip()
    if not client_id:
        raise DomainError(N_("Vul de client-id in die je inlogdienst voor steungroep gaf."),
                          "client_id")
    if len(client_id) > MAX_CLIENT_ID or any(c.isspace() for c in client_id):
        raise DomainError(N_("Deze client-id klopt niet: te lang of met een spatie."),
                          "client_id")
    if not secret and not has_secret:
        raise DomainError(N_("Vul het client secret in."), "client_secret")
    if len(secret) > MAX_SECRET:
        raise DomainError(N_("Dit client secret is te lang."), "client_secret")
    return client_id, secret


def _endpoint_refusal(issuer: str, key: str, value: object) -> DomainError | None:
    """An endpoint of the provider's document must be https on the issuer's own host (http
    only when the issuer itself is on this machine, for trying out); the message names the
    key, never what the document says."""
    issuer_host = urlsplit(issuer).hostname or ""
    parts = urlsplit(value) if isinstance(value, str) else None
    if parts is None or parts.scheme not in ("https", "http") or not parts.hostname:
        return DomainError(N_("Het adres %(key)s in de OpenID-configuratie moet met https:// "
                              "beginnen."), "issuer", key=key)
    if parts.scheme == "http" and not (_loopback(issuer_host) and _loopback(parts.hostname)):
        return DomainError(N_("Het adres %(key)s in de OpenID-configuratie moet met https:// "
                              "beginnen."), "issuer", key=key)
    own = {issuer_host} | OTHER_OWN_HOSTS.get(issuer_host, set())
    if parts.hostname not in own:
        return DomainError(N_("Het adres %(key)s in de OpenID-configuratie ligt niet bij de "
                              "uitgever zelf (%(host)s)."), "issuer", key=key,
                           host=issuer_host)
    return None


def check_discovery(issuer: str, metadata: object) -> str:
    """Check a provider's discovery document against the issuer the admin typed; return the
    issuer exactly as the provider names it (the ID tokens carry that spelling). Nothing the
    document says is repeated in a message."""
    if not isinstance(metadata, dict):
        raise DomainError(N_("Op dit adres staat geen OpenID-configuratie."), "issuer")
    named = metadata.get("issuer")
    if not isinstance(named, str) or named.rstrip("/") != issuer.rstrip("/"):
        raise DomainError(N_("De inlogdienst op dit adres noemt zich anders dan het adres dat "
                             "je invulde. Vul precies de uitgever in die de inlogdienst "
                             "opgeeft."), "issuer")
    for key in ("authorization_endpoint", "token_endpoint", "jwks_uri"):
        if not isinstance(metadata.get(key), str):
            raise DomainError(N_("De OpenID-configuratie mist %(key)s."), "issuer", key=key)
    for key in ENDPOINTS:
        if key in metadata and (refusal := _endpoint_refusal(issuer, key, metadata[key])):
            raise refusal
    if "code" not in (metadata.get("response_types_supported") or ["code"]):
        raise DomainError(N_("Deze inlogdienst ondersteunt de code-flow niet."), "issuer")
    methods = metadata.get("code_challenge_methods_supported")
    if methods is not None and "S256" not in methods:
        raise DomainError(N_("Deze inlogdienst ondersteunt PKCE (S256) niet."), "issuer")
    return named


def verified_email(claims: dict) -> str:
    """The e-mail address the provider vouches for, in lower case. Google and Entree say
    so with email_verified; Microsoft Entra ID with xms_edov (the domain is the tenant's)."""
    email = claims.get("email")
    if not isinstance(email, str) or "@" not in email:
        raise DomainError(N_("Je schoolaccount gaf geen e-mailadres door. Vraag de beheerder "
                             "van je school om het e-mailadres mee te laten sturen."))
    if claims.get("email_verified") is not True and claims.get("xms_edov") is not True:
        raise DomainError(N_("Je schoolaccount gaf geen bevestigd e-mailadres door, dus we "
                             "weten niet zeker of het van jou is. Log in met je wachtwoord of "
                             "vraag de beheerder van je school om hulp."))
    return email.strip().lower()


def check_account(found: bool, active: bool, *, school: str, email: str) -> None:
    """A verified address logs in only to an existing, active account of the school whose
    provider vouched for it; nobody is created, nothing is guessed."""
    if not found:
        raise DomainError(N_("Er is bij %(school)s geen account voor %(email)s. Vraag de "
                             "beheerder van je school om je toe te voegen."),
                          school=school, email=email)
    if not active:
        raise DomainError(N_("Je account staat uit, dus je kunt niet inloggen. Vraag de "
                             "beheerder van je school om het weer aan te zetten."))


def password_refusal(role_is_admin: bool, sso_required: bool) -> str | None:
    """Why a right password may not log this person in, if it may not: their school signs
    in with its own accounts. Admins keep their password, so a provider's outage or a
    mistake in its settings never locks a school out of the app."""
    if sso_required and not role_is_admin:
        return translate(N_("Je school logt in met het schoolaccount. Kies hieronder "
                            "‘Inloggen met je schoolaccount’."))
    return None
