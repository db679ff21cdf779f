CREATE TABLE aws_account (
  id serial NOT NULL,
  access_key_id character varying NOT NULL,
  secret_access_key character varying NOT NULL,
  region character varying NOT NULL,
  CONSTRAINT "PK_9ad897024d8c36c541d7fe84084" PRIMARY KEY (id)
);
CREATE FUNCTION default_aws_region() RETURNS character varying
LANGUAGE sql STABLE AS $$
  SELECT coalesce((SELECT region FROM aws_account ORDER BY id LIMIT 1), 'us-east-1')
$$;
