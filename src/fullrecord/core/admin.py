from django.contrib import admin


class ReadOnlyAdmin(admin.ModelAdmin):
    """Shown, never changed in the admin: records that move only through their services."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


from . import admin_tasks  # noqa: E402, F401 - 后台任务 and workers
