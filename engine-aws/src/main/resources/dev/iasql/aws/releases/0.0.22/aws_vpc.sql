CREATE TABLE "availability_zone" (
  "name" character varying NOT NULL,
  "region" character varying NOT NULL DEFAULT default_aws_region(),
  CONSTRAINT "PK_16d2ffe3b36dfa0f1de3c280c01" PRIMARY KEY ("name"),
  CONSTRAINT "uq_az_region" UNIQUE ("name", "region")
);
ALTER TABLE "availability_zone" ADD CONSTRAINT "FK_9557e4873661a90723a39e5b9c2" FOREIGN KEY ("region") REFERENCES "aws_regions" ("region");

CREATE TYPE "vpc_state_enum" AS ENUM ('available', 'pending');
CREATE TABLE "vpc" (
  "id" serial NOT NULL,
  "vpc_id" character varying,
  "cidr_block" cidr NOT NULL,
  "state" "vpc_state_enum",
  "is_default" boolean NOT NULL DEFAULT false,
  "enable_dns_hostnames" boolean NOT NULL DEFAULT false,
  "enable_dns_support" boolean NOT NULL DEFAULT false,
  "enable_network_address_usage_metrics" boolean NOT NULL DEFAULT false,
  "tags" json,
  "region" character varying NOT NULL DEFAULT default_aws_region(),
  CONSTRAINT "PK_293725cf47b341e1edc38bd2075" PRIMARY KEY ("id"),
  CONSTRAINT "uq_vpc_id_region" UNIQUE ("vpc_id", "region"),
  CONSTRAINT "uq_vpc_region" UNIQUE ("id", "region")
);
ALTER TABLE "vpc" ADD CONSTRAINT "FK_4e3193d811417bcd61e4f305e74" FOREIGN KEY ("region") REFERENCES "aws_regions" ("region");

CREATE TYPE "subnet_state_enum" AS ENUM ('available', 'pending');
CREATE TABLE "subnet" (
  "id" serial NOT NULL,
  "state" "subnet_state_enum",
  "available_ip_address_count" integer,
  "cidr_block" cidr,
  "subnet_id" character varying,
  "owner_id" character varying,
  "subnet_arn" character varying,
  "availability_zone" character varying NOT NULL,
  "vpc_id" integer NOT NULL,
  "region" character varying NOT NULL DEFAULT default_aws_region(),
  CONSTRAINT "PK_27239a6d70e746b9ac33497a47f" PRIMARY KEY ("id"),
  CONSTRAINT "uq_subnet_id_region" UNIQUE ("subnet_id", "region"),
  CONSTRAINT "uq_subnet_region" UNIQUE ("id", "region")
);
ALTER TABLE "subnet" ADD CONSTRAINT "FK_01b828964edce6b867e4e554b97" FOREIGN KEY ("region") REFERENCES "aws_regions" ("region");
ALTER TABLE "subnet" ADD CONSTRAINT "FK_0e2c2bf1604ba2ffd4103157d24" FOREIGN KEY ("vpc_id", "region") REFERENCES "vpc" ("id", "region");
ALTER TABLE "subnet" ADD CONSTRAINT "FK_89d16ba5682889f8fae7927052c" FOREIGN KEY ("availability_zone", "region") REFERENCES "availability_zone" ("name", "region");
