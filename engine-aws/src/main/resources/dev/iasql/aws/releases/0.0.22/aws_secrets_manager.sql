CREATE TABLE "secret" (
  "id" serial NOT NULL,
  "name" character varying NOT NULL,
  "description" character varying,
  "value" character varying,
  "version_id" character varying,
  "arn" character varying,
  "region" character varying NOT NULL DEFAULT default_aws_region(),
  PRIMARY KEY ("id"),
  CONSTRAINT "uq_secret_id_region" UNIQUE ("id", "region"),
  CONSTRAINT "uq_secret_name_region" UNIQUE ("name", "region"),
  CONSTRAINT "secret_name_check" CHECK (("name" ~ '^[A-Za-z0-9/_+=.@-]+$') AND (char_length("name") <= 512))
);
ALTER TABLE "secret" ADD FOREIGN KEY ("region") REFERENCES "aws_regions" ("region");
