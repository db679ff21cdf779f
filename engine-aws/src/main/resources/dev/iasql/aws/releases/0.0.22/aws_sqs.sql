CREATE TABLE "queue" (
  "id" serial NOT NULL,
  "name" character varying NOT NULL,
  "fifo_queue" boolean NOT NULL DEFAULT false,
  "visibility_timeout" integer NOT NULL DEFAULT 30,
  "delay_seconds" integer NOT NULL DEFAULT 0,
  "receive_message_wait_time_seconds" integer NOT NULL DEFAULT 0,
  "message_retention_period" integer NOT NULL DEFAULT 345600,
  "maximum_message_size" integer NOT NULL DEFAULT 262144,
  "policy" json,
  "arn" character varying,
  "url" character varying,
  "region" character varying NOT NULL DEFAULT default_aws_region(),
  PRIMARY KEY ("id"),
  CONSTRAINT "uq_queue_id_region" UNIQUE ("id", "region"),
  CONSTRAINT "uq_queue_name_region" UNIQUE ("name", "region"),
  CONSTRAINT "queue_name_check" CHECK (("name" ~ '^[A-Za-z0-9_-]+(\.fifo)?$') AND (char_length("name") <= 80)),
  CONSTRAINT "queue_visibility_timeout_check" CHECK ("visibility_timeout" BETWEEN 0 AND 43200),
  CONSTRAINT "queue_delay_seconds_check" CHECK ("delay_seconds" BETWEEN 0 AND 900),
  CONSTRAINT "queue_receive_message_wait_time_seconds_check" CHECK ("receive_message_wait_time_seconds" BETWEEN 0 AND 20),
  CONSTRAINT "queue_message_retention_period_check" CHECK ("message_retention_period" BETWEEN 60 AND 1209600),
  CONSTRAINT "queue_maximum_message_size_check" CHECK ("maximum_message_size" BETWEEN 1024 AND 1048576)
);
ALTER TABLE "queue" ADD FOREIGN KEY ("region") REFERENCES "aws_regions" ("region");
