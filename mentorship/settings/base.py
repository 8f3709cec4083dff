"""Settings shared by every environment, read from the environment (12-factor).

With no variables set at all the portal runs on the embedded default: SQLite,
Celery tasks executed eagerly in-process, e-mail printed to the console. The
other modules (local, production, test) only hold what differs.
"""

from datetime import timedelta
from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env("SECRET_KEY", default="embedded-default-insecure-key-change-me-in-production")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    # django.contrib.admin with the portal's admin site (labelled autocomplete choices).
    "mentorship.apps.PortalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # Two-factor log-in (accounts/two_factor.py): TOTP apps and one-time recovery codes.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "guardian",
    "simple_history",
    "import_export",
    "axes",
    "mentorship",
    "accounts",
    "participants",
    "roadmaps",
    "monitoring",
    "reports",
    "notifications",
    # The demo data and the benchmark region (load_demo, generate_scale): above every domain app.
    "demodata",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # Until the second factor is given, only the two-factor pages, log-out and static files open.
    "accounts.middleware.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "accounts.middleware.SessionActivityMiddleware",
    # Last, as django-axes asks: it turns a refused log-in into the refusal page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "mentorship.urls"
WSGI_APPLICATION = "mentorship.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "mentorship.context_processors.navigation",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=0))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis: Celery broker and cache -----------------------------------------
REDIS_URL = env("REDIS_URL", default="")

if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {
                "CLIENT_CLASS": "django_redis.client.DefaultClient",
                # The cache is an optimisation: Redis down must not take the pages down.
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": 2,
                "SOCKET_TIMEOUT": 2,
            },
            "KEY_PREFIX": "mentorship",
        }
    }
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = "Europe/Moscow"
# Redis down must fail a publish in seconds, with a clear message, not hang the job.
CELERY_BROKER_CONNECTION_TIMEOUT = 3
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 3, "socket_timeout": 5}
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.5, "interval_max": 1}
CELERY_BEAT_SCHEDULE: dict = {
    # The reminder job (notifications.services.reminders_run); idempotent, so a late or doubled tick is harmless.
    "notifications-reminders": {"task": "notifications.reminders_run", "schedule": 15 * 60.0},
    # Monitoring's summary of every organisation's figures for the current school year (idempotent).
    "monitoring-figures": {"task": "monitoring.figures_refresh", "schedule": 15 * 60.0},
    # django-axes' attempt and log tables, pruned daily (accounts.throttling.login_records_prune).
    "accounts-login-records": {"task": "accounts.login_records_prune", "schedule": 24 * 60 * 60.0},
}
# Without Redis there is no `celery beat`: the runserver process runs the schedule above itself
# (mentorship/scheduler.py). Off by default with REDIS_URL, where exactly one beat does it.
EMBEDDED_SCHEDULER = env.bool("EMBEDDED_SCHEDULER", default=not REDIS_URL)

# --- Reminders (notifications) ------------------------------------------------
# A roadmap waiting this many days for the level above's decision reminds the approvers.
REMINDER_APPROVAL_DAYS = env.int("REMINDER_APPROVAL_DAYS", default=5)
# An overdue item is still reminded (once) if its due date is at most this many days back.
REMINDER_OVERDUE_DAYS = env.int("REMINDER_OVERDUE_DAYS", default=30)
# A digest claimed longer ago than this without being sent (a killed worker) is taken over.
REMINDER_CLAIM_TIMEOUT = env.int("REMINDER_CLAIM_TIMEOUT", default=10 * 60)
# Reminders recorded this many days back are still checked for a missing portal notification.
REMINDER_PORTAL_LOOKBACK_DAYS = 7
# Sending attempts of one reminder's e-mail before it is marked failed (1 + the task's retries).
REMINDER_MAX_ATTEMPTS = 6

# --- Authentication ---------------------------------------------------------
AUTH_USER_MODEL = "mentorship.User"
AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out log-in before any password is checked (django-axes).
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
# No database row for the anonymous user: anonymous visitors see nothing.
ANONYMOUS_USER_NAME = None
GUARDIAN_RAISE_403 = False
GUARDIAN_RENDER_403 = False

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Log-in throttling (django-axes, accounts/throttling.py). After LOGIN_FAILURE_LIMIT_PER_USERNAME
# failures for one username, or LOGIN_FAILURE_LIMIT_PER_IP from one address, within the cool-off,
# log-ins are refused for the cool-off. Axes compares one failure count with one limit, so the
# per-address limit is added by the handler (accounts.throttling.LoginThrottleHandler).
LOGIN_FAILURE_LIMIT_PER_USERNAME = env.int("LOGIN_FAILURE_LIMIT_PER_USERNAME", default=5)
LOGIN_FAILURE_LIMIT_PER_IP = env.int("LOGIN_FAILURE_LIMIT_PER_IP", default=20)
LOGIN_COOLOFF_MINUTES = env.int("LOGIN_COOLOFF_MINUTES", default=15)
AXES_HANDLER = "accounts.throttling.LoginThrottleHandler"
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_FAILURE_LIMIT = LOGIN_FAILURE_LIMIT_PER_USERNAME
AXES_COOLOFF_TIME = timedelta(minutes=LOGIN_COOLOFF_MINUTES)
# Tries refused during the cool-off are not counted: the refusal lasts the cool-off from the
# lockout on, not from the latest refused try, so a locked-out colleague waits 15 minutes, no more.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "accounts.throttling.lockout_response"
AXES_CLIENT_IP_CALLABLE = "mentorship.security.client_ip"
AXES_HTTP_RESPONSE_CODE = 429
# Days axes' own logs of log-ins and failures are kept (the security event log keeps its own rows).
LOGIN_RECORDS_DAYS = env.int("LOGIN_RECORDS_DAYS", default=90)
# Behind a reverse proxy: how many proxies in front of the portal append to X-Forwarded-For.
# 0 (the default): the header is ignored and REMOTE_ADDR is the client, since anybody can send it.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

# Two-factor log-in (accounts/two_factor.py): required for administrators and regional and municipal
# roles (mentorship.access.requires_two_factor); with this set, for everyone.
TWO_FACTOR_FOR_EVERYONE = env.bool("TWO_FACTOR_FOR_EVERYONE", default=False)
OTP_TOTP_ISSUER = "Портал наставничества"
# The admin lists users' devices (to delete a lost one) without showing their secret keys.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# --- Language, time, formats ------------------------------------------------
LANGUAGE_CODE = "ru"
LANGUAGES = [("ru", "Русский")]
TIME_ZONE = env("TIME_ZONE", default="Europe/Moscow")
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["mentorship.formats"]

# --- Static and media -------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# Bootstrap and its icons come from npm (package.json), installed by the set-up
# command; nothing is loaded from a CDN.
NODE_MODULES_DIR = BASE_DIR / "node_modules"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/bootstrap", NODE_MODULES_DIR / "bootstrap" / "dist"),
    ("vendor/bootstrap-icons", NODE_MODULES_DIR / "bootstrap-icons" / "font"),
    # Tinos: a Times-metric serif with full Cyrillic (SIL OFL) for the PDF documents' @font-face.
    ("vendor/tinos", NODE_MODULES_DIR / "@fontsource" / "tinos" / "files"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")

# Uploads: keep memory use bounded and refuse absurd requests early.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000

# --- E-mail -----------------------------------------------------------------
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
EMAIL_USE_SSL = env.bool("EMAIL_USE_SSL", default=False)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Портал наставничества <noreply@localhost>")
SERVER_EMAIL = env("SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)
EMAIL_SUBJECT_PREFIX = "[Наставничество] "
PORTAL_BASE_URL = env("PORTAL_BASE_URL", default="http://127.0.0.1:8000")
# Absolute links in reminder e-mails.
SITE_URL = env("SITE_URL", default=PORTAL_BASE_URL)
# Only for EMAIL_BACKEND=django.core.mail.backends.filebased.EmailBackend: the folder letters are written to.
EMAIL_FILE_PATH = env("EMAIL_FILE_PATH", default=str(BASE_DIR / "tmp" / "mail"))

# --- Security defaults that hold everywhere ----------------------------------
SESSION_COOKIE_HTTPONLY = True
# Idle expiry (minutes): a session unused this long ends; every use pushes the end further
# (accounts.middleware.SessionActivityMiddleware). Production defaults to 30 minutes.
SESSION_IDLE_TIMEOUT = env.int("SESSION_IDLE_TIMEOUT", default=12 * 60)
SESSION_COOKIE_AGE = SESSION_IDLE_TIMEOUT * 60
CSRF_FAILURE_VIEW = "mentorship.views.errors.csrf_failure"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

# --- Change history ---------------------------------------------------------
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True
SIMPLE_HISTORY_REVERT_DISABLED = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # WeasyPrint logs every rendering step at INFO.
        "weasyprint.progress": {"level": "WARNING"},
        # django-axes logs every log-in at INFO; failures and lockouts come at WARNING.
        "axes": {"level": "WARNING"},
    },
}

# --- Excel import (mentorship/imports) -------------------------------------------
# A larger upload is refused before it is read; the production proxy must accept at least this.
IMPORT_MAX_FILE_SIZE = env.int("IMPORT_MAX_FILE_SIZE", default=20 * 1024 * 1024)
# The sum of the uncompressed sizes in the .xlsx (a zip): more is a zip bomb.
IMPORT_MAX_UNPACKED_SIZE = env.int("IMPORT_MAX_UNPACKED_SIZE", default=400 * 1024 * 1024)
IMPORT_MAX_ROWS = env.int("IMPORT_MAX_ROWS", default=200_000)
# A roadmap's Word file is read whole into memory (python-docx builds the document tree), unlike the
# streamed sheets above: its unpacked size is capped far lower (a real roadmap unpacks to under 1 МБ).
ROADMAP_IMPORT_MAX_UNPACKED_SIZE = env.int("ROADMAP_IMPORT_MAX_UNPACKED_SIZE", default=50 * 1024 * 1024)
# Errors kept and shown per file; the count goes on.
IMPORT_MAX_ERRORS = env.int("IMPORT_MAX_ERRORS", default=1000)

# --- Single sign-on through an OpenID Connect provider (optional) -------------------------
# Off unless OIDC_RP_CLIENT_ID is set; then the provider's endpoints and the client secret are
# required (a missing one stops the start-up). See README.md, «Вход через региональный шлюз».
OIDC_RP_CLIENT_ID = env("OIDC_RP_CLIENT_ID", default="")
OIDC_ENABLED = bool(OIDC_RP_CLIENT_ID)
OIDC_PROVIDER_NAME = env("OIDC_PROVIDER_NAME", default="региональный шлюз")
if OIDC_ENABLED:
    INSTALLED_APPS += ["mozilla_django_oidc"]
    AUTHENTICATION_BACKENDS += ["accounts.oidc.PortalOIDCBackend"]
    OIDC_RP_CLIENT_SECRET = env("OIDC_RP_CLIENT_SECRET")
    OIDC_OP_AUTHORIZATION_ENDPOINT = env("OIDC_OP_AUTHORIZATION_ENDPOINT")
    OIDC_OP_TOKEN_ENDPOINT = env("OIDC_OP_TOKEN_ENDPOINT")
    OIDC_OP_USER_ENDPOINT = env("OIDC_OP_USER_ENDPOINT")
    OIDC_OP_JWKS_ENDPOINT = env("OIDC_OP_JWKS_ENDPOINT")
    OIDC_RP_SIGN_ALGO = env("OIDC_RP_SIGN_ALGO", default="RS256")
    OIDC_RP_SCOPES = env("OIDC_RP_SCOPES", default="openid email profile")
    OIDC_USE_PKCE = env.bool("OIDC_USE_PKCE", default=True)
    # A state gateway's certificate may chain to a root that certifi lacks: name its CA bundle.
    OIDC_VERIFY_SSL = env("OIDC_CA_BUNDLE", default="") or True
    OIDC_TIMEOUT = env.int("OIDC_TIMEOUT", default=10)
    # Accounts are never created from a provider's claims (accounts/oidc.py says why).
    OIDC_CREATE_USER = False
    OIDC_CALLBACK_CLASS = "accounts.oidc.PortalOIDCCallbackView"
    LOGIN_REDIRECT_URL_FAILURE = LOGIN_URL

# --- Invitations (accounts/services/invitations.py) -------------------------------
# How long the link in an invitation letter stays valid; a resent letter starts the period again.
INVITATION_DAYS = env.int("INVITATION_DAYS", default=7)

# --- Monitoring: response rates (monitoring/indicators.py) --------------------------
# A questionnaire figure (growth, satisfaction) reads as a result only when at least this share of
# the people asked answered and at least this many answered; below it the figure is greyed «мало ответов».
MONITORING_MIN_RESPONSE_PERCENT = env.int("MONITORING_MIN_RESPONSE_PERCENT", default=30)
MONITORING_MIN_RESPONSES = env.int("MONITORING_MIN_RESPONSES", default=5)
