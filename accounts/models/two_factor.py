"""Who signs in without a second factor although the policy would ask for one."""

from django.conf import settings
from django.db import models


class TwoFactorExemption(models.Model):
    """Освобождение от двухфакторной аутентификации: an account that signs in with its password alone.

    For the demonstration accounts, whose passwords are published; a real account is never exempt.
    Deleting the row turns the second factor on for that account at its next log-in.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="two_factor_exemption",
        verbose_name="пользователь",
    )
    reason = models.CharField("основание", max_length=200)
    created_at = models.DateTimeField("создано", auto_now_add=True)

    class Meta:
        verbose_name = "освобождение от двухфакторной аутентификации"
        verbose_name_plural = "освобождения от двухфакторной аутентификации"

    def __str__(self) -> str:
        return f"{self.user}: {self.reason}"
