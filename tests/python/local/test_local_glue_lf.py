"""Glue and Lake Formation operations on the local mesh through boto3: shapes, paging, names,
partitions, tags, the optimistic catalog policy, crawlers, data lake settings, grants and their
errors, batch failures, registered locations and LF-tags."""
import hashlib
import json

import pytest
from botocore.exceptions import ClientError

from conftest import allow_all_policy, error_code, session_creds, trust_policy, unique


@pytest.fixture(scope="module")
def glue(mesh):
    return mesh.as_admin("glue", "producer")


@pytest.fixture(scope="module")
def lf(mesh):
    return mesh.as_admin("lakeformation", "producer")


@pytest.fixture(scope="module")
def db(glue):
    name = unique("Retail")
    glue.create_database(DatabaseInput={"Name": name, "Description": "retail data", "Parameters": {"owner": "team-a"}})
    return name.lower()


def table_input(name, location="s3://producer-data/x/", partitioned=True):
    t = {"Name": name, "TableType": "EXTERNAL_TABLE",
         "StorageDescriptor": {"Columns": [{"Name": "id", "Type": "string"}], "Location": location}}
    if partitioned:
        t["PartitionKeys"] = [{"Name": "year", "Type": "string"}, {"Name": "month", "Type": "string"}]
    return t


def test_databases(glue, db):
    got = glue.get_database(Name=db.upper())["Database"]  # names are stored lower-case
    assert got["Name"] == db and got["Description"] == "retail data" and got["CatalogId"]
    assert got["CreateTableDefaultPermissions"][0]["Principal"]["DataLakePrincipalIdentifier"] == "IAM_ALLOWED_PRINCIPALS"
    with pytest.raises(ClientError) as e:
        glue.create_database(DatabaseInput={"Name": db})
    assert error_code(e) == "AlreadyExistsException"
    with pytest.raises(ClientError) as e:
        glue.get_database(Name="nothing_here")
    assert error_code(e) == "EntityNotFoundException" and "nothing_here" in str(e.value)
    # UpdateDatabase replaces the definition: what the input leaves out is gone.
    glue.update_database(Name=db, DatabaseInput={"Name": db, "Parameters": {"owner": "team-b"}})
    got = glue.get_database(Name=db)["Database"]
    assert "Description" not in got and got["Parameters"] == {"owner": "team-b"}
    names = [d["Name"] for p in glue.get_paginator("get_databases").paginate(PaginationConfig={"PageSize": 1})
             for d in p["DatabaseList"]]
    assert db in names


def test_tables_paging_and_expression(glue, db):
    for name in ("orders", "order_items", "customers"):
        glue.create_table(DatabaseName=db, TableInput=table_input(name.upper() if name == "customers" else name))
    with pytest.raises(ClientError) as e:
        glue.create_table(DatabaseName=db, TableInput=table_input("orders"))
    assert error_code(e) == "AlreadyExistsException"
    with pytest.raises(ClientError) as e:
        glue.create_table(DatabaseName="missing_db", TableInput=table_input("x"))
    assert error_code(e) == "EntityNotFoundException"
    t = glue.get_table(DatabaseName=db, Name="customers")["Table"]
    assert t["Name"] == "customers" and t["DatabaseName"] == db and t["PartitionKeys"][0]["Name"] == "year"
    assert [x["Name"] for x in glue.get_tables(DatabaseName=db, Expression="order.*")["TableList"]] == ["order_items", "orders"]
    pages = list(glue.get_paginator("get_tables").paginate(DatabaseName=db, PaginationConfig={"PageSize": 2}))
    assert len(pages) == 2 and sum(len(p["TableList"]) for p in pages) == 3
    glue.update_table(DatabaseName=db, TableInput=dict(table_input("orders"), Description="v2"))
    assert glue.get_table(DatabaseName=db, Name="orders")["Table"]["Description"] == "v2"
    with pytest.raises(ClientError) as e:
        glue.get_tables(DatabaseName=db, Expression="([")
    assert error_code(e) == "InvalidInputException"


def test_partitions_single_and_batch(glue, db):
    glue.create_table(DatabaseName=db, TableInput=table_input("events"))
    part = lambda y, m: {"Values": [y, m], "StorageDescriptor": {"Location": f"s3://producer-data/x/{y}/{m}/"}}
    glue.create_partition(DatabaseName=db, TableName="events", PartitionInput=part("2024", "01"))
    with pytest.raises(ClientError) as e:
        glue.create_partition(DatabaseName=db, TableName="events", PartitionInput=part("2024", "01"))
    assert error_code(e) == "AlreadyExistsException"
    out = glue.batch_create_partition(DatabaseName=db, TableName="events",
                                      PartitionInputList=[part("2024", "02"), part("2024", "01"), {"Values": ["2025"]}])
    errors = {tuple(e["PartitionValues"]): e["ErrorDetail"]["ErrorCode"] for e in out["Errors"]}
    assert errors == {("2024", "01"): "AlreadyExistsException", ("2025",): "InvalidInputException"}
    values = sorted(p["Values"] for p in glue.get_partitions(DatabaseName=db, TableName="events")["Partitions"])
    assert values == [["2024", "01"], ["2024", "02"]]
    glue.batch_create_partition(DatabaseName=db, TableName="events",
                                PartitionInputList=[part("2023", "12"), part("2025", "03")])
    def matching(expression):
        out = glue.get_partitions(DatabaseName=db, TableName="events", Expression=expression)["Partitions"]
        return sorted("/".join(p["Values"]) for p in out)
    assert matching("year = '2024'") == ["2024/01", "2024/02"]
    assert matching("year >= '2024' AND NOT month IN ('01', '02')") == ["2025/03"]
    assert matching("(year BETWEEN '2023' AND '2024') AND month LIKE '1%'") == ["2023/12"]
    assert matching("year <> '2024' OR month = '02'") == ["2023/12", "2024/02", "2025/03"]
    # Nesting beyond 100 levels is refused rather than exhausting the server's stack (2 KB of
    # parentheses crashed it: found by fuzz/partition_filter_fuzz).
    deep = "(" * 150 + "year = '2024'" + ")" * 150
    for bad in ("day = '1'", "year = ", "year = '2024' AND", "year ~ 'x'", deep, "NOT " * 150 + "year = '2024'"):
        with pytest.raises(ClientError) as e:
            glue.get_partitions(DatabaseName=db, TableName="events", Expression=bad)
        assert error_code(e) == "InvalidInputException", bad


def test_tags(glue, db, mesh):
    arn = f"arn:aws:glue:us-east-1:{mesh.account('producer')}:database/{db}"
    glue.tag_resource(ResourceArn=arn, TagsToAdd={"Solution": "DataMeshUtils"})
    assert glue.get_tags(ResourceArn=arn)["Tags"] == {"Solution": "DataMeshUtils"}
    with pytest.raises(ClientError) as e:
        glue.get_tags(ResourceArn=f"arn:aws:glue:us-east-1:{mesh.account('producer')}:database/none_such")
    assert error_code(e) == "EntityNotFoundException"
    # Glue tags connections, databases, crawlers, jobs and the like, not tables (AWS Glue Developer
    # Guide, "AWS tags in AWS Glue", the list of resources you can tag).
    with pytest.raises(ClientError) as e:
        glue.tag_resource(ResourceArn=f"arn:aws:glue:us-east-1:{mesh.account('producer')}:table/{db}/events",
                          TagsToAdd={"Solution": "DataMeshUtils"})
    assert error_code(e) == "InvalidInputException"


def test_catalog_policy_is_optimistic(mesh):
    glue = mesh.as_admin("glue", "consumer")
    with pytest.raises(ClientError) as e:
        glue.get_resource_policy()
    assert error_code(e) == "EntityNotFoundException"
    catalog = f"arn:aws:glue:us-east-1:{mesh.account('consumer')}:catalog"
    policy = json.dumps({"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Principal": {"Service": "ram.amazonaws.com"}, "Action": "glue:ShareResource",
        "Resource": [catalog, f"arn:aws:glue:us-east-1:{mesh.account('consumer')}:database/*"]}]})
    with pytest.raises(ClientError) as e:
        glue.put_resource_policy(PolicyInJson=policy, PolicyExistsCondition="MUST_EXIST")
    assert error_code(e) == "ConditionCheckFailureException"
    first = glue.put_resource_policy(PolicyInJson=policy, PolicyExistsCondition="NOT_EXIST")["PolicyHash"]
    got = glue.get_resource_policy()
    assert got["PolicyHash"] == first and json.loads(got["PolicyInJson"]) == json.loads(policy)
    with pytest.raises(ClientError) as e:
        glue.put_resource_policy(PolicyInJson=policy, PolicyExistsCondition="NOT_EXIST")
    assert error_code(e) == "ConditionCheckFailureException"
    second = glue.put_resource_policy(PolicyInJson=policy.replace("glue:ShareResource", "glue:*"), PolicyHashCondition=first)["PolicyHash"]
    with pytest.raises(ClientError) as e:  # a stale hash: someone changed it since
        glue.put_resource_policy(PolicyInJson=policy, PolicyHashCondition=first)
    assert error_code(e) == "ConditionCheckFailureException"
    assert glue.get_resource_policy()["PolicyHash"] == second
    with pytest.raises(ClientError) as e:
        glue.put_resource_policy(PolicyInJson="{not json")
    assert error_code(e) == "InvalidInputException"


def test_crawlers_and_schedules(glue, db, mesh):
    role = f"arn:aws:iam::{mesh.account('producer')}:role/service-role/AWSGlueServiceRole-x"
    glue.create_crawler(Name=unique("sync"), Role=role, DatabaseName=db, Schedule="cron(0 */4 * * ? *)",
                        Targets={"CatalogTargets": [{"DatabaseName": db, "Tables": ["orders"]}]})
    name = unique("sync")
    glue.create_crawler(Name=name, Role=role, DatabaseName=db, Schedule="cron(15 10 ? * MON-FRI 2024-2030)",
                        Targets={"S3Targets": [{"Path": "s3://producer-data/x/"}]})
    c = glue.get_crawler(Name=name)["Crawler"]
    assert c["Role"] == role and c["State"] == "READY"
    assert c["Schedule"] == {"ScheduleExpression": "cron(15 10 ? * MON-FRI 2024-2030)", "State": "SCHEDULED"}
    for bad in ("cron(0 0 * * * *)", "cron(0 0 * *)", "rate(5 minutes)", "cron(61 0 * * ? *)", "cron(0 0 ? * FUNDAY *)"):
        with pytest.raises(ClientError) as e:
            glue.create_crawler(Name=unique("bad"), Role=role, Schedule=bad, Targets={"S3Targets": [{"Path": "s3://b/"}]})
        assert error_code(e) == "InvalidInputException", bad
    with pytest.raises(ClientError) as e:
        glue.create_crawler(Name=name, Role=role, Targets={"S3Targets": [{"Path": "s3://b/"}]})
    assert error_code(e) == "AlreadyExistsException"
    with pytest.raises(ClientError) as e:
        glue.get_crawler(Name="never")
    assert error_code(e) == "EntityNotFoundException"
    # Roles are passed only within their own account.
    foreign = f"arn:aws:iam::{mesh.account('mesh')}:role/service-role/AWSGlueServiceRole-x"
    with pytest.raises(ClientError) as e:
        glue.create_crawler(Name=unique("foreign"), Role=foreign, Targets={"S3Targets": [{"Path": "s3://b/"}]})
    assert error_code(e) == "AccessDeniedException" and "Cross-account pass role" in str(e.value)


def test_data_lake_settings_replace_the_whole_object(mesh):
    lf = mesh.as_admin("lakeformation", "consumer")
    settings = lf.get_data_lake_settings()["DataLakeSettings"]
    admin = f"arn:aws:iam::{mesh.account('consumer')}:user/Administrator"
    assert {"DataLakePrincipalIdentifier": admin} in settings["DataLakeAdmins"]
    lf.put_data_lake_settings(DataLakeSettings={"DataLakeAdmins": settings["DataLakeAdmins"]})
    after = lf.get_data_lake_settings()["DataLakeSettings"]
    assert after.get("CreateDatabaseDefaultPermissions", []) == []
    with pytest.raises(ClientError) as e:
        lf.put_data_lake_settings(DataLakeSettings={"DataLakeAdmins": settings["DataLakeAdmins"],
                                                    "CreateTableDefaultPermissions": [{"Principal": {"DataLakePrincipalIdentifier": admin}, "Permissions": ["SELECT"]}]})
    assert error_code(e) == "InvalidInputException"
    lf.put_data_lake_settings(DataLakeSettings=settings)


def test_grant_validation_and_batches(mesh, glue, lf, db):
    glue.create_table(DatabaseName=db, TableInput=table_input("granted", partitioned=False))
    table = {"Table": {"DatabaseName": db, "Name": "granted"}}
    role = f"arn:aws:iam::{mesh.account('producer')}:user/Administrator"
    for kwargs, fragment in (
        (dict(Permissions=["CREATE_TABLE"]), "valid"),
        (dict(Permissions=["SELECT"], PermissionsWithGrantOption=["DROP"]), "subset"),
        (dict(Permissions=["FLY"]), "valid"),
    ):
        with pytest.raises(ClientError) as e:
            lf.grant_permissions(Principal={"DataLakePrincipalIdentifier": role}, Resource=table, **kwargs)
        assert error_code(e) == "InvalidInputException" and fragment in str(e.value), kwargs
    with pytest.raises(ClientError) as e:
        lf.grant_permissions(Principal={"DataLakePrincipalIdentifier": role},
                             Resource={"Table": {"DatabaseName": db, "Name": "nope"}}, Permissions=["SELECT"])
    assert error_code(e) == "EntityNotFoundException"
    out = lf.batch_grant_permissions(Entries=[
        {"Id": "1", "Principal": {"DataLakePrincipalIdentifier": role}, "Resource": table, "Permissions": ["SELECT"]},
        {"Id": "2", "Principal": {"DataLakePrincipalIdentifier": role}, "Resource": table, "Permissions": ["FLY"]},
        {"Id": "3", "Principal": {"DataLakePrincipalIdentifier": role},
         "Resource": {"Table": {"DatabaseName": db, "TableWildcard": {}}}, "Permissions": ["DESCRIBE"]}])
    assert [f["RequestEntry"]["Id"] for f in out["Failures"]] == ["2"]
    perms = lf.list_permissions(Principal={"DataLakePrincipalIdentifier": role}, Resource=table)["PrincipalResourcePermissions"]
    assert any("SELECT" in p["Permissions"] for p in perms)
    # Revoking the grant option alone keeps the permission.
    lf.grant_permissions(Principal={"DataLakePrincipalIdentifier": mesh.account("consumer")}, Resource=table,
                         Permissions=["SELECT"], PermissionsWithGrantOption=["SELECT"])
    lf.revoke_permissions(Principal={"DataLakePrincipalIdentifier": mesh.account("consumer")}, Resource=table,
                          Permissions=[], PermissionsWithGrantOption=["SELECT"])
    left = lf.list_permissions(Principal={"DataLakePrincipalIdentifier": mesh.account("consumer")}, Resource=table)
    assert left["PrincipalResourcePermissions"][0]["Permissions"] == ["SELECT"]
    assert left["PrincipalResourcePermissions"][0]["PermissionsWithGrantOption"] == []
    consumer = {"DataLakePrincipalIdentifier": mesh.account("consumer")}
    out = lf.batch_revoke_permissions(Entries=[
        {"Id": "a", "Principal": consumer, "Resource": table, "Permissions": ["SELECT"]},
        {"Id": "b", "Principal": consumer, "Resource": table, "Permissions": ["INSERT"]}])
    assert [f["RequestEntry"]["Id"] for f in out["Failures"]] == ["b"]


def test_locations_and_lf_tags(mesh, lf, db):
    bucket = "arn:aws:s3:::producer-data/x"
    lf.register_resource(ResourceArn=bucket, UseServiceLinkedRole=True)
    with pytest.raises(ClientError) as e:
        lf.register_resource(ResourceArn=bucket, UseServiceLinkedRole=True)
    assert error_code(e) == "AlreadyExistsException"
    info = lf.describe_resource(ResourceArn=bucket)["ResourceInfo"]
    assert info["RoleArn"].endswith("AWSServiceRoleForLakeFormationDataAccess")
    mesh_role = f"arn:aws:iam::{mesh.account('producer')}:user/Administrator"
    lf.grant_permissions(Principal={"DataLakePrincipalIdentifier": mesh_role},
                         Resource={"DataLocation": {"ResourceArn": bucket}}, Permissions=["DATA_LOCATION_ACCESS"])
    lf.deregister_resource(ResourceArn=bucket)
    with pytest.raises(ClientError) as e:
        lf.describe_resource(ResourceArn=bucket)
    assert error_code(e) == "EntityNotFoundException"

    key = unique("Domain")
    lf.create_lf_tag(TagKey=key, TagValues=["sales", "finance"])
    with pytest.raises(ClientError) as e:
        lf.create_lf_tag(TagKey=key, TagValues=["x"])
    assert error_code(e) == "AlreadyExistsException"
    lf.update_lf_tag(TagKey=key, TagValuesToAdd=["hr"], TagValuesToDelete=["finance"])
    assert sorted(lf.get_lf_tag(TagKey=key)["TagValues"]) == ["hr", "sales"]
    out = lf.add_lf_tags_to_resource(Resource={"Database": {"Name": db}},
                                     LFTags=[{"TagKey": key, "TagValues": ["sales"]}, {"TagKey": key + "x", "TagValues": ["a"]},
                                             {"TagKey": key, "TagValues": ["finance"]}])
    assert [f["LFTag"]["TagKey"] for f in out["Failures"]] == [key + "x", key]
    tags = lf.get_resource_lf_tags(Resource={"Database": {"Name": db}})["LFTagOnDatabase"]
    assert tags == [{"CatalogId": mesh.account("producer"), "TagKey": key, "TagValues": ["sales"]}]
    with pytest.raises(ClientError) as e:
        lf.get_lf_tag(TagKey="nothing")
    assert error_code(e) == "EntityNotFoundException"


def test_a_resources_lf_tags_show_only_to_who_may_see_the_tag(mesh, db, lf, glue):
    """"You must have the DESCRIBE or ASSOCIATE permission on a LF-Tag to view it" (Lake Formation
    Developer Guide, viewing LF-Tags assigned to a resource); ListLFTags lists the same tags
    ("Listing LF-Tags"). A role of the account, not a data lake administrator, sees neither the tag
    nor the table's tag until granted DESCRIBE on it."""
    producer = mesh.account("producer")
    glue.create_table(DatabaseName=db, TableInput=table_input("tagged_seen", partitioned=False))
    key = unique("Sensitivity")
    lf.create_lf_tag(TagKey=key, TagValues=["high", "low"])
    table = {"Table": {"DatabaseName": db, "Name": "tagged_seen"}}
    lf.add_lf_tags_to_resource(Resource=table, LFTags=[{"TagKey": key, "TagValues": ["high"]}])
    iam = mesh.as_admin("iam", "producer")
    role = iam.create_role(RoleName=unique("TagReader"), AssumeRolePolicyDocument=trust_policy(
        f"arn:aws:iam::{producer}:root"))["Role"]
    iam.put_role_policy(RoleName=role["RoleName"], PolicyName="all", PolicyDocument=allow_all_policy())
    reader = mesh.client("lakeformation", session_creds(mesh.as_admin("sts", "producer").assume_role(
        RoleArn=role["Arn"], RoleSessionName="tags")))
    mine = lambda: [t for t in reader.list_lf_tags().get("LFTags", []) if t["TagKey"] == key]
    on_table = lambda: reader.get_resource_lf_tags(Resource=table).get("LFTagsOnTable", [])
    assert mine() == [] and on_table() == []
    lf.grant_permissions(Principal={"DataLakePrincipalIdentifier": role["Arn"]},
                         Resource={"LFTag": {"TagKey": key, "TagValues": ["high", "low"]}}, Permissions=["DESCRIBE"])
    assert [t["TagKey"] for t in mine()] == [key]
    assert on_table() == [{"CatalogId": producer, "TagKey": key, "TagValues": ["high"]}]
    # The account's administrator sees it all along.
    assert lf.get_resource_lf_tags(Resource=table)["LFTagsOnTable"] == on_table()


def test_batches_over_the_documented_limits_are_refused(mesh, db):
    """Glue BatchCreatePartition takes at most 100 partitions (the service model's maximum) and
    Lake Formation's batch grants at most 20 entries (API reference: "a list of up to 20 entries";
    the model has no maximum, so the local service refuses it). Sent with boto3's own checks off,
    as a client with an older or hand-written model would."""
    unchecked = lambda service: mesh.client(service, mesh.admin("producer"), parameter_validation=False)
    g = unchecked("glue")
    g.create_table(DatabaseName=db, TableInput=table_input("wide_limit"))
    with pytest.raises(ClientError) as e:
        g.batch_create_partition(DatabaseName=db, TableName="wide_limit",
                                 PartitionInputList=[{"Values": [str(y)]} for y in range(101)])
    assert error_code(e) == "InvalidInputException"
    assert g.get_partitions(DatabaseName=db, TableName="wide_limit")["Partitions"] == []
    entries = [{"Id": f"e{i}", "Principal": {"DataLakePrincipalIdentifier": "arn:aws:iam::222222222222:root"},
                "Resource": {"Table": {"DatabaseName": db, "Name": "wide_limit"}}, "Permissions": ["SELECT"]}
               for i in range(21)]
    with pytest.raises(ClientError) as e:
        unchecked("lakeformation").batch_grant_permissions(Entries=entries)
    assert error_code(e) == "InvalidInputException"


def test_registering_with_the_service_linked_role_creates_it(mesh):
    """Lake Formation creates AWSServiceRoleForLakeFormationDataAccess (with its managed policy) the
    first time a location is registered with UseServiceLinkedRole (Lake Formation Developer Guide,
    "Using service-linked roles for Lake Formation"); a bucket policy may then name it."""
    consumer = mesh.account("consumer")
    iam = mesh.as_admin("iam", "consumer")
    name = "AWSServiceRoleForLakeFormationDataAccess"
    with pytest.raises(ClientError):
        iam.get_role(RoleName=name)
    s3 = mesh.as_admin("s3", "consumer")
    bucket = unique("consumer-data").lower()
    s3.create_bucket(Bucket=bucket)
    mesh.as_admin("lakeformation", "consumer").register_resource(ResourceArn=f"arn:aws:s3:::{bucket}",
                                                                 UseServiceLinkedRole=True)
    role = iam.get_role(RoleName=name)["Role"]
    assert role["Path"] == "/aws-service-role/lakeformation.amazonaws.com/"
    assert role["Arn"] == f"arn:aws:iam::{consumer}:role/aws-service-role/lakeformation.amazonaws.com/{name}"
    attached = iam.list_attached_role_policies(RoleName=name)["AttachedPolicies"]
    assert [p["PolicyName"] for p in attached] == ["AWSLakeFormationDataAccessServiceRolePolicy"]
    s3.put_bucket_policy(Bucket=bucket, Policy=json.dumps({"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Principal": {"AWS": role["Arn"]}, "Action": "s3:GetObject",
        "Resource": f"arn:aws:s3:::{bucket}/*"}]}))


def test_delete_database_takes_its_tables_and_partitions(mesh):
    # DeleteDatabase (Glue API Reference): "deletes ... all the tables (and all table versions and
    # partitions that might belong to the tables)".
    glue = mesh.as_admin("glue", "producer")
    db = unique("doomed").lower()
    glue.create_database(DatabaseInput={"Name": db})
    glue.create_table(DatabaseName=db, TableInput={"Name": "t", "PartitionKeys": [{"Name": "y", "Type": "string"}],
                                                   "StorageDescriptor": {"Location": "s3://b/t/"}})
    glue.batch_create_partition(DatabaseName=db, TableName="t", PartitionInputList=[{"Values": ["2025"]}])
    glue.delete_database(Name=db)
    with pytest.raises(ClientError) as e:
        glue.get_database(Name=db)
    assert error_code(e) == "EntityNotFoundException"
    glue.create_database(DatabaseInput={"Name": db})  # the name is free again, and empty
    assert glue.get_tables(DatabaseName=db)["TableList"] == []
