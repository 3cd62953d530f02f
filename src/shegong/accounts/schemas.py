from ninja import Field, Schema


class MembershipOut(Schema):
    id: int
    organisation_id: int
    organisation_name: str = Field(alias="organisation.name")
    role: str
    role_label: str = Field(alias="get_role_display")


class MeOut(Schema):
    username: str
    full_name: str
    active_membership: MembershipOut
    jurisdiction_prefix: str
    jurisdiction_region: str


class UserOut(Schema):
    id: int
    username: str
    full_name: str
    memberships: list[MembershipOut]

    @staticmethod
    def resolve_memberships(obj):
        return obj.visible_memberships
