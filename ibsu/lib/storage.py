from django.core.files.storage import storages


def private_storage():
    """Member files live outside the web root and are served only by checked views."""
    return storages["private"]
