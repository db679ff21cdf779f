CREATE TABLE "log_group" (
  "id" serial NOT NULL,
  "log_group_name" character varying NOT NULL,
  "log_group_arn" character varying,
  "creation_time" timestamp with time zone,
  "region" character varying NOT NULL DEFAULT default_aws_region(),
  CONSTRAINT "PK_98524f243181f6e4ef712642235" PRIMARY KEY ("id"),
  CONSTRAINT "uq_log_group_id_region" UNIQUE ("id", "region"),
  CONSTRAINT "IDX_0debae85724e7e1b623c556fb0" UNIQUE ("log_group_name", "region"),
  CONSTRAINT "log_group_log_group_name_check" CHECK (("log_group_name" ~ '^[.\-_/#A-Za-z0-9]+$') AND (char_length("log_group_name") <= 512))
);
ALTER TABLE "log_group" ADD CONSTRAINT "FK_8eb78fd886deb6f20a15088e8c6" FOREIGN KEY ("region") REFERENCES "aws_regions" ("region");
