/**
 * The {@code aws_vpc} module: VPCs, subnets and availability zones as tables. Values are records that hold references
 * by AWS id; one mapper per table links it to EC2.
 */
package dev.iasql.aws.vpc;
