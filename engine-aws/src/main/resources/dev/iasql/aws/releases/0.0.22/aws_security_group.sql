CREATE TABLE "security_group" (
  "id" serial NOT NULL,
  "description" character varying NOT NULL,
  "group_name" character varying NOT NULL,
  "owner_id" character varying,
  "group_id" character varying,
  "vpc_id" integer,
  "region" character varying NOT NULL DEFAULT default_aws_region(),
  CONSTRAINT "PK_08670ec0c305866dbfbfe004cb8" PRIMARY KEY ("id"),
  CONSTRAINT "uq_security_group_id_region" UNIQUE ("id", "region"),
  CONSTRAINT "UQ_groupNameByVpc" UNIQUE ("group_name", "vpc_id", "region")
);
ALTER TABLE "security_group" ADD CONSTRAINT "FK_433340ca24146a956ba6eac946e" FOREIGN KEY ("region") REFERENCES "aws_regions" ("region");
ALTER TABLE "security_group" ADD CONSTRAINT "FK_342e5da27cd7a3ab1712cdecece" FOREIGN KEY ("vpc_id", "region") REFERENCES "vpc" ("id", "region");

CREATE TABLE "security_group_rule" (
  "id" serial NOT NULL,
  "security_group_rule_id" character varying,
  "is_egress" boolean NOT NULL,
  "ip_protocol" character varying,
  "from_port" integer,
  "to_port" integer,
  "cidr_ipv4" cidr,
  "cidr_ipv6" cidr,
  "prefix_list_id" character varying,
  "description" character varying,
  "security_group_id" integer,
  "source_security_group" integer,
  "region" character varying NOT NULL DEFAULT default_aws_region(),
  CONSTRAINT "PK_f4c5f95331113ce4a2e1978a076" PRIMARY KEY ("id"),
  CONSTRAINT "uq_security_group_rule_id_region" UNIQUE ("id", "region"),
  CONSTRAINT "UQ_rule" UNIQUE ("is_egress", "ip_protocol", "from_port", "to_port", "cidr_ipv4", "security_group_id", "region"),
  CONSTRAINT "security_group_rule_from_port_check" CHECK ("from_port" BETWEEN -1 AND 65535),
  CONSTRAINT "security_group_rule_to_port_check" CHECK ("to_port" BETWEEN -1 AND 65535),
  CONSTRAINT "Check_security_or_ip_permissions" CHECK (("from_port" IS NULL) = ("to_port" IS NULL) AND CASE
  WHEN "source_security_group" IS NULL THEN num_nonnulls("cidr_ipv4", "cidr_ipv6", "prefix_list_id") = 1
  ELSE "cidr_ipv6" IS NULL AND "prefix_list_id" IS NULL AND ("cidr_ipv4" IS NULL OR "cidr_ipv4" = '0.0.0.0/0')
END)
);
ALTER TABLE "security_group_rule" ADD CONSTRAINT "FK_2b4317dc68b3ba8fa5c9d4067c9" FOREIGN KEY ("region") REFERENCES "aws_regions" ("region");
ALTER TABLE "security_group_rule" ADD CONSTRAINT "FK_54ae7b1b4edcb70ecce8499e76f" FOREIGN KEY ("security_group_id", "region") REFERENCES "security_group" ("id", "region");
ALTER TABLE "security_group_rule" ADD CONSTRAINT "FK_6c6a7f58211fed8abb79e6c913f" FOREIGN KEY ("source_security_group", "region") REFERENCES "security_group" ("id", "region");
