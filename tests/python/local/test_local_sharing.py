"""The cross-account path of the mesh, with boto3 only: a table in the mesh catalog is granted to
another account, which sees a RAM invitation, accepts it, sees the table, links to it, re-grants
only what it received grantable; after the revoke the table is gone from its view."""
import json

import pytest
from botocore.exceptions import ClientError

from conftest import error_code, trust_policy, unique


def lf_only_settings(mesh, role):
    """Switch an account from 'IAM only' defaults to Lake Formation governance, as the mesh does."""
    lf = mesh.as_admin("lakeformation", role)
    settings = lf.get_data_lake_settings()["DataLakeSettings"]
    settings["CreateDatabaseDefaultPermissions"] = []
    settings["CreateTableDefaultPermissions"] = []
    lf.put_data_lake_settings(DataLakeSettings=settings)


@pytest.fixture(scope="module")
def shared_table(mesh):
    lf_only_settings(mesh, "mesh")
    glue = mesh.as_admin("glue", "mesh")
    db = unique("sales").lower()
    glue.create_database(DatabaseInput={"Name": db, "Description": "mesh copy"})
    glue.create_table(DatabaseName=db, TableInput={
        "Name": "orders", "TableType": "EXTERNAL_TABLE",
        "StorageDescriptor": {"Columns": [{"Name": "id", "Type": "string"}, {"Name": "amount", "Type": "double"}],
                              "Location": "s3://producer-data/orders/"},
        "PartitionKeys": [{"Name": "year", "Type": "string"}]})
    return db


def test_grant_invite_accept_link_revoke(mesh, shared_table):
    db = shared_table
    mesh_account, consumer = mesh.account("mesh"), mesh.account("consumer")
    lf_mesh = mesh.as_admin("lakeformation", "mesh")
    glue_consumer = mesh.as_admin("glue", "consumer")
    ram_consumer = mesh.as_admin("ram", "consumer")

    table = {"Table": {"CatalogId": mesh_account, "DatabaseName": db, "Name": "orders"}}
    lf_mesh.grant_permissions(Principal={"DataLakePrincipalIdentifier": consumer}, Resource=table,
                              Permissions=["SELECT", "DESCRIBE"], PermissionsWithGrantOption=["SELECT", "DESCRIBE"])
    lf_mesh.grant_permissions(Principal={"DataLakePrincipalIdentifier": consumer},
                              Resource={"Database": {"CatalogId": mesh_account, "Name": db}}, Permissions=["DESCRIBE"])

    # The grant shows its RAM share.
    listed = lf_mesh.list_permissions(Principal={"DataLakePrincipalIdentifier": consumer}, Resource=table)
    entry = listed["PrincipalResourcePermissions"][0]
    assert sorted(entry["Permissions"]) == ["DESCRIBE", "SELECT"]
    share_arn = entry["AdditionalDetails"]["ResourceShare"][0]
    assert share_arn.startswith(f"arn:aws:ram:us-east-1:{mesh_account}:resource-share/")

    # Before accepting, the consumer sees a pending invitation and not the table.
    invitations = [i for i in ram_consumer.get_resource_share_invitations()["resourceShareInvitations"]
                   if i["resourceShareArn"] == share_arn]
    assert len(invitations) == 1 and invitations[0]["status"] == "PENDING"
    assert invitations[0]["senderAccountId"] == mesh_account and invitations[0]["receiverAccountId"] == consumer
    assert invitations[0]["resourceShareName"].startswith("LakeFormation")
    with pytest.raises(ClientError) as e:
        glue_consumer.get_table(CatalogId=mesh_account, DatabaseName=db, Name="orders")
    assert error_code(e) == "AccessDeniedException"

    accepted = ram_consumer.accept_resource_share_invitation(
        resourceShareInvitationArn=invitations[0]["resourceShareInvitationArn"])
    assert accepted["resourceShareInvitation"]["status"] == "ACCEPTED"
    with pytest.raises(ClientError) as e:
        ram_consumer.accept_resource_share_invitation(resourceShareInvitationArn=invitations[0]["resourceShareInvitationArn"])
    assert error_code(e) == "ResourceShareInvitationAlreadyAcceptedException"
    shares = ram_consumer.get_resource_shares(resourceOwner="OTHER-ACCOUNTS")["resourceShares"]
    assert any(s["resourceShareArn"] == share_arn for s in shares)
    associations = mesh.as_admin("ram", "mesh").get_resource_share_associations(
        associationType="PRINCIPAL", resourceShareArns=[share_arn])["resourceShareAssociations"]
    assert [(a["associatedEntity"], a["status"]) for a in associations] == [(consumer, "ASSOCIATED")]

    # Visible now, in the consumer's view of the mesh catalog.
    got = glue_consumer.get_table(CatalogId=mesh_account, DatabaseName=db, Name="orders")["Table"]
    assert got["StorageDescriptor"]["Location"] == "s3://producer-data/orders/"
    foreign = glue_consumer.get_databases(ResourceShareType="ALL")["DatabaseList"]
    assert any(d["Name"] == db and d["CatalogId"] == mesh_account for d in foreign)

    # A resource link in the consumer account resolves to the shared table.
    local_db = unique("consumer_links").lower()
    glue_consumer.create_database(DatabaseInput={"Name": local_db})
    glue_consumer.create_table(DatabaseName=local_db, TableInput={
        "Name": "orders_link", "TargetTable": {"CatalogId": mesh_account, "DatabaseName": db, "Name": "orders"}})
    link = glue_consumer.get_table(DatabaseName=local_db, Name="orders_link")["Table"]
    assert link["TargetTable"] == {"CatalogId": mesh_account, "DatabaseName": db, "Name": "orders"}
    assert link["StorageDescriptor"]["Location"] == "s3://producer-data/orders/"
    glue_consumer.create_database(DatabaseInput={"Name": local_db + "_dblink",
                                                 "TargetDatabase": {"CatalogId": mesh_account, "DatabaseName": db}})
    assert glue_consumer.get_database(Name=local_db + "_dblink")["Database"]["TargetDatabase"]["DatabaseName"] == db
    # GetTable, GetTables and GetPartitions on a database link reach the target database ("Resource
    # link handling in AWS Glue APIs", Glue Developer Guide).
    through = glue_consumer.get_table(DatabaseName=local_db + "_dblink", Name="orders")["Table"]
    assert through["DatabaseName"] == db and through["StorageDescriptor"]["Location"] == "s3://producer-data/orders/"
    listed = glue_consumer.get_tables(DatabaseName=local_db + "_dblink")["TableList"]
    assert [t["Name"] for t in listed] == ["orders"]
    assert glue_consumer.get_partitions(DatabaseName=local_db + "_dblink", TableName="orders")["Partitions"] == []

    # The consumer's administrator re-grants inside its account only what it received grantable.
    iam = mesh.as_admin("iam", "consumer")
    analyst = iam.create_role(RoleName=unique("Analyst"), AssumeRolePolicyDocument=trust_policy(consumer))["Role"]
    lf_consumer = mesh.as_admin("lakeformation", "consumer")
    lf_consumer.grant_permissions(Principal={"DataLakePrincipalIdentifier": analyst["Arn"]}, Resource=table,
                                  Permissions=["SELECT"])
    with pytest.raises(ClientError) as e:
        lf_consumer.grant_permissions(Principal={"DataLakePrincipalIdentifier": analyst["Arn"]}, Resource=table,
                                      Permissions=["ALTER"])
    assert error_code(e) == "AccessDeniedException"
    with pytest.raises(ClientError) as e:  # nor may it pass the share on to a third account
        lf_consumer.grant_permissions(Principal={"DataLakePrincipalIdentifier": mesh.account("producer")},
                                      Resource=table, Permissions=["SELECT"])
    assert error_code(e) == "InvalidInputException"

    # Revoking everything takes the table out of the share and out of the consumer's view.
    lf_mesh.revoke_permissions(Principal={"DataLakePrincipalIdentifier": consumer}, Resource=table,
                               Permissions=["SELECT", "DESCRIBE"])
    with pytest.raises(ClientError) as e:
        lf_mesh.revoke_permissions(Principal={"DataLakePrincipalIdentifier": consumer}, Resource=table, Permissions=["SELECT"])
    assert error_code(e) == "InvalidInputException" and "No permissions revoked" in str(e.value)
    with pytest.raises(ClientError) as e:
        glue_consumer.get_table(CatalogId=mesh_account, DatabaseName=db, Name="orders")
    assert error_code(e) == "AccessDeniedException"
    # The share is the account pair's (Lake Formation cross-account version 2 and later: "a single
    # AWS RAM resource share to represent multiple grants between two AWS accounts"): the table
    # leaves it, the database granted too stays in it.
    resources = mesh.as_admin("ram", "mesh").get_resource_share_associations(
        associationType="RESOURCE", resourceShareArns=[share_arn])["resourceShareAssociations"]
    assert [r["associatedEntity"] for r in resources] == [f"arn:aws:glue:us-east-1:{mesh_account}:database/{db}"]
    # Deleting the link deletes only the link.
    glue_consumer.delete_table(DatabaseName=local_db, Name="orders_link")
    assert mesh.as_admin("glue", "mesh").get_table(DatabaseName=db, Name="orders")["Table"]["Name"] == "orders"


def test_principals_without_lake_formation_permission_can_neither_read_nor_change(mesh, shared_table):
    iam = mesh.as_admin("iam", "mesh")
    user = iam.create_user(UserName=unique("iamadmin"))["User"]
    group = iam.create_group(GroupName=unique("admins"))["Group"]
    iam.add_user_to_group(GroupName=group["GroupName"], UserName=user["UserName"])
    iam.attach_group_policy(GroupName=group["GroupName"], PolicyArn="arn:aws:iam::aws:policy/AdministratorAccess")
    glue = mesh.client("glue", iam.create_access_key(UserName=user["UserName"])["AccessKey"])
    with pytest.raises(ClientError) as e:
        glue.get_table(DatabaseName=shared_table, Name="orders")
    assert error_code(e) == "AccessDeniedException" and "Lake Formation" in str(e.value)
    with pytest.raises(ClientError) as e:
        glue.update_table(DatabaseName=shared_table, TableInput={"Name": "orders", "Description": "changed"})
    assert error_code(e) == "AccessDeniedException"
    with pytest.raises(ClientError) as e:
        glue.delete_table(DatabaseName=shared_table, Name="orders")
    assert error_code(e) == "AccessDeniedException"
    assert [t["Name"] for t in glue.get_tables(DatabaseName=shared_table)["TableList"]] == []
    # Granted DESCRIBE, it sees the table but still cannot change it.
    mesh.as_admin("lakeformation", "mesh").grant_permissions(
        Principal={"DataLakePrincipalIdentifier": user["Arn"]},
        Resource={"Table": {"DatabaseName": shared_table, "Name": "orders"}}, Permissions=["DESCRIBE"])
    assert glue.get_table(DatabaseName=shared_table, Name="orders")["Table"]["Name"] == "orders"
    with pytest.raises(ClientError) as e:
        glue.update_table(DatabaseName=shared_table, TableInput={"Name": "orders", "Description": "changed"})
    assert error_code(e) == "AccessDeniedException"
    # And without grant option it cannot pass DESCRIBE on.
    with pytest.raises(ClientError) as e:
        mesh.client("lakeformation", iam.create_access_key(UserName=user["UserName"])["AccessKey"]).grant_permissions(
            Principal={"DataLakePrincipalIdentifier": mesh.account("consumer")},
            Resource={"Table": {"DatabaseName": shared_table, "Name": "orders"}}, Permissions=["DESCRIBE"])
    assert error_code(e) == "AccessDeniedException"
    # Through a database resource link it needs Lake Formation permission on the link as well
    # (DESCRIBE), not only on the target ("Resource link handling in AWS Glue APIs").
    link = unique("orders_dblink").lower()
    mesh.as_admin("glue", "mesh").create_database(DatabaseInput={"Name": link, "TargetDatabase": {"DatabaseName": shared_table}})
    with pytest.raises(ClientError) as e:
        glue.get_table(DatabaseName=link, Name="orders")
    assert error_code(e) == "AccessDeniedException" and "Describe" in str(e.value)
    mesh.as_admin("lakeformation", "mesh").grant_permissions(
        Principal={"DataLakePrincipalIdentifier": user["Arn"]}, Resource={"Database": {"Name": link}}, Permissions=["DESCRIBE"])
    assert glue.get_table(DatabaseName=link, Name="orders")["Table"]["DatabaseName"] == shared_table


def test_ram_invitation_errors(mesh):
    ram = mesh.as_admin("ram", "consumer")
    with pytest.raises(ClientError) as e:
        ram.accept_resource_share_invitation(resourceShareInvitationArn="not-an-arn")
    assert error_code(e) == "MalformedArnException"
    with pytest.raises(ClientError) as e:
        ram.reject_resource_share_invitation(
            resourceShareInvitationArn="arn:aws:ram:us-east-1:111111111111:resource-share-invitation/nope")
    assert error_code(e) == "ResourceShareInvitationArnNotFoundException"


def test_rejected_invitation_and_disassociation(mesh, shared_table):
    db = shared_table
    mesh_account, producer = mesh.account("mesh"), mesh.account("producer")
    glue = mesh.as_admin("glue", "mesh")
    glue.create_table(DatabaseName=db, TableInput={"Name": "returns", "StorageDescriptor": {"Location": "s3://producer-data/r/"}})
    table = {"Table": {"CatalogId": mesh_account, "DatabaseName": db, "Name": "returns"}}
    lf_mesh = mesh.as_admin("lakeformation", "mesh")
    lf_mesh.grant_permissions(Principal={"DataLakePrincipalIdentifier": producer}, Resource=table, Permissions=["DESCRIBE"])
    share_arn = lf_mesh.list_permissions(Principal={"DataLakePrincipalIdentifier": producer}, Resource=table)[
        "PrincipalResourcePermissions"][0]["AdditionalDetails"]["ResourceShare"][0]
    ram_producer = mesh.as_admin("ram", "producer")
    invitation = [i for i in ram_producer.get_resource_share_invitations(resourceShareArns=[share_arn])["resourceShareInvitations"]][0]
    rejected = ram_producer.reject_resource_share_invitation(resourceShareInvitationArn=invitation["resourceShareInvitationArn"])
    assert rejected["resourceShareInvitation"]["status"] == "REJECTED"
    with pytest.raises(ClientError) as e:
        ram_producer.accept_resource_share_invitation(resourceShareInvitationArn=invitation["resourceShareInvitationArn"])
    assert error_code(e) == "ResourceShareInvitationAlreadyRejectedException"
    with pytest.raises(ClientError) as e:
        mesh.as_admin("glue", "producer").get_table(CatalogId=mesh_account, DatabaseName=db, Name="returns")
    assert error_code(e) == "AccessDeniedException"

    # A participant may leave a share only when it holds no resource type that does not support
    # leaving; Glue catalogs, databases and tables are such types (RAM User Guide, "Leaving a
    # resource share"), so Lake Formation's shares are left only by their owner removing you. Nor
    # may a participant remove anyone else.
    with pytest.raises(ClientError) as e:
        ram_producer.disassociate_resource_share(resourceShareArn=share_arn, principals=[producer])
    assert error_code(e) == "OperationNotPermittedException" and "does not support leaving" in str(e.value)
    with pytest.raises(ClientError) as e:
        ram_producer.disassociate_resource_share(resourceShareArn=share_arn, principals=[mesh.account("consumer")])
    assert error_code(e) == "OperationNotPermittedException" and "its own account" in str(e.value)
    out = mesh.as_admin("ram", "mesh").disassociate_resource_share(resourceShareArn=share_arn, principals=[producer])
    assert [(a["associatedEntity"], a["status"]) for a in out["resourceShareAssociations"]] == [(producer, "DISASSOCIATING")]
    left = mesh.as_admin("ram", "mesh").get_resource_share_associations(
        associationType="PRINCIPAL", resourceShareArns=[share_arn])["resourceShareAssociations"]
    assert left == []
    with pytest.raises(ClientError) as e:
        mesh.as_admin("ram", "mesh").disassociate_resource_share(
            resourceShareArn=f"arn:aws:ram:us-east-1:{mesh_account}:resource-share/unknown", principals=[producer])
    assert error_code(e) == "UnknownResourceException"


def test_catalog_policy_beside_ram_shares_needs_enable_hybrid(mesh, shared_table):
    """Once the catalog shares through RAM, Glue saves a resource policy only with EnableHybrid=TRUE."""
    db = shared_table
    mesh_account, consumer = mesh.account("mesh"), mesh.account("consumer")
    lf_mesh, glue_mesh = mesh.as_admin("lakeformation", "mesh"), mesh.as_admin("glue", "mesh")
    database = {"Database": {"CatalogId": mesh_account, "Name": db}}
    lf_mesh.grant_permissions(Principal={"DataLakePrincipalIdentifier": consumer}, Resource=database, Permissions=["DESCRIBE"])
    try:
        policy = json.dumps({"Version": "2012-10-17", "Statement": [{
            "Sid": "Tags", "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{consumer}:root"}, "Action": "glue:*",
            "Resource": [f"arn:aws:glue:us-east-1:{mesh_account}:catalog"],
            "Condition": {"Bool": {"glue:EvaluatedByLakeFormationTags": "true"}}}]})
        with pytest.raises(ClientError) as e:
            glue_mesh.put_resource_policy(PolicyInJson=policy)
        assert error_code(e) == "InvalidInputException" and "EnableHybrid" in str(e.value)
        saved = glue_mesh.put_resource_policy(PolicyInJson=policy, EnableHybrid="TRUE")["PolicyHash"]
        with pytest.raises(ClientError) as e:  # a stale hash deletes nothing
            glue_mesh.delete_resource_policy(PolicyHashCondition="stale")
        assert error_code(e) == "ConditionCheckFailureException"
        glue_mesh.delete_resource_policy(PolicyHashCondition=saved)
        with pytest.raises(ClientError) as e:
            glue_mesh.get_resource_policy()
        assert error_code(e) == "EntityNotFoundException"
        with pytest.raises(ClientError) as e:
            glue_mesh.delete_resource_policy()
        assert error_code(e) == "EntityNotFoundException"
    finally:
        lf_mesh.revoke_permissions(Principal={"DataLakePrincipalIdentifier": consumer}, Resource=database, Permissions=["DESCRIBE"])


def test_only_an_organizations_management_account_enables_ram_sharing_with_it(mesh):
    # This mesh has no organization (datamesh local init without --organization): RAM refuses, as
    # it does for an account that manages no organization.
    with pytest.raises(ClientError) as e:
        mesh.as_admin("ram").enable_sharing_with_aws_organization()
    assert error_code(e) == "OperationNotPermittedException"


def test_revoking_column_level_access_keeps_the_table_in_the_share(mesh, shared_table):
    """A table and its columns travel in the account pair's one RAM share (Lake Formation Developer
    Guide, updating cross-account data sharing version settings: from version 2 on, a single share
    represents multiple grants between two accounts). Revoking the column-level grant must leave the
    table in the share while the account still holds table-level permissions; revoking those too
    takes the table out, and the share stays, still associated, for the account's next grant."""
    db = shared_table
    mesh_account, consumer = mesh.account("mesh"), mesh.account("consumer")
    lf_mesh = mesh.as_admin("lakeformation", "mesh")
    ram_mesh = mesh.as_admin("ram", "mesh")
    who = {"DataLakePrincipalIdentifier": consumer}
    table = {"Table": {"CatalogId": mesh_account, "DatabaseName": db, "Name": "orders"}}
    columns = {"TableWithColumns": {"CatalogId": mesh_account, "DatabaseName": db, "Name": "orders", "ColumnNames": ["id"]}}
    table_arn = f"arn:aws:glue:us-east-1:{mesh_account}:table/{db}/orders"
    lf_mesh.grant_permissions(Principal=who, Resource=table, Permissions=["DESCRIBE", "INSERT"])
    lf_mesh.grant_permissions(Principal=who, Resource=columns, Permissions=["SELECT"])
    share = lf_mesh.list_permissions(Principal=who, Resource=table)["PrincipalResourcePermissions"][0]["AdditionalDetails"]["ResourceShare"][0]

    def carried():
        found = ram_mesh.get_resource_share_associations(associationType="RESOURCE", resourceShareArns=[share])
        return [a["associatedEntity"] for a in found["resourceShareAssociations"] if a["status"] != "DISASSOCIATED"]

    def associated():
        found = ram_mesh.get_resource_share_associations(associationType="PRINCIPAL", resourceShareArns=[share])
        return [a["associatedEntity"] for a in found["resourceShareAssociations"] if a["status"] != "DISASSOCIATED"]

    lf_mesh.revoke_permissions(Principal=who, Resource=columns, Permissions=["SELECT"])
    assert table_arn in carried() and consumer in associated()
    lf_mesh.revoke_permissions(Principal=who, Resource=table, Permissions=["DESCRIBE", "INSERT"])
    assert table_arn not in carried() and consumer in associated()


def test_grants_of_many_tables_to_one_account_travel_in_one_share_and_one_invitation(mesh, shared_table):
    """From cross-account version 2 on, Lake Formation maps the grants between two accounts to one
    RAM resource share (Lake Formation Developer Guide, updating cross-account data sharing version
    settings), so the recipient accepts one invitation, and tables granted after it is accepted are
    usable at once."""
    db = shared_table
    mesh_account, consumer = mesh.account("mesh"), mesh.account("consumer")
    glue = mesh.as_admin("glue", "mesh")
    lf_mesh = mesh.as_admin("lakeformation", "mesh")
    who = {"DataLakePrincipalIdentifier": consumer}
    for name in ("customers", "products"):
        glue.create_table(DatabaseName=db, TableInput={"Name": name, "StorageDescriptor": {
            "Columns": [{"Name": "id", "Type": "string"}], "Location": f"s3://producer-data/{name}/"}})
    shares = set()
    for name in ("orders", "customers"):
        table = {"Table": {"CatalogId": mesh_account, "DatabaseName": db, "Name": name}}
        lf_mesh.grant_permissions(Principal=who, Resource=table, Permissions=["SELECT"])
        listed = lf_mesh.list_permissions(Principal=who, Resource=table)["PrincipalResourcePermissions"]
        shares.update(listed[0]["AdditionalDetails"]["ResourceShare"])
    assert len(shares) == 1
    ram_consumer = mesh.as_admin("ram", "consumer")
    invitations = ram_consumer.get_resource_share_invitations(resourceShareArns=list(shares))["resourceShareInvitations"]
    assert len(invitations) == 1  # accepted already when an earlier test of this mesh shared with the pair
    if invitations[0]["status"] == "PENDING":
        ram_consumer.accept_resource_share_invitation(resourceShareInvitationArn=invitations[0]["resourceShareInvitationArn"])
    lf_mesh.grant_permissions(Principal=who, Resource={"Table": {"CatalogId": mesh_account, "DatabaseName": db,
                                                                 "Name": "products"}}, Permissions=["SELECT"])
    assert [i for i in ram_consumer.get_resource_share_invitations()["resourceShareInvitations"]
            if i["status"] == "PENDING"] == []
    glue_consumer = mesh.as_admin("glue", "consumer")
    assert glue_consumer.get_table(CatalogId=mesh_account, DatabaseName=db, Name="products")["Table"]["Name"] == "products"


def test_an_organizations_management_account_enables_ram_sharing(tmp_path):
    # EnableSharingWithAwsOrganization (RAM API Reference): the management account turns sharing
    # with its organization on; doing it again answers true as well.
    from conftest import LocalMesh
    org = LocalMesh(tmp_path, ("--organization",))
    try:
        assert org.as_admin("ram").enable_sharing_with_aws_organization()["returnValue"] is True
        with pytest.raises(ClientError) as e:
            org.as_admin("ram", "producer").enable_sharing_with_aws_organization()
        assert error_code(e) == "OperationNotPermittedException"
    finally:
        org.stop()
