from django.contrib.auth.base_user import BaseUserManager


class MemberManager(BaseUserManager):
    use_in_migrations = True

    def _create(self, kpj_number, password, **fields):
        fields["email"] = self.normalize_email(fields.get("email", ""))
        member = self.model(kpj_number=kpj_number, **fields)
        if password:
            member.set_password(password)
        else:
            member.set_unusable_password()
        member.full_clean(exclude=["password"])
        member.save(using=self._db)
        return member

    def create_user(self, kpj_number, password=None, **fields):
        fields.setdefault("is_staff", False)
        fields.setdefault("is_superuser", False)
        return self._create(kpj_number, password, **fields)

    def create_superuser(self, kpj_number, password=None, **fields):
        fields["is_staff"] = True
        fields["is_superuser"] = True
        return self._create(kpj_number, password, **fields)
