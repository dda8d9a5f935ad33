"""grpc.health.v1 messages and a stub, without the grpcio-health-checking package.

Debian ships grpcio but not grpc_health, so when that package is missing the
two messages of grpc/health/v1/health.proto are built here from a descriptor,
in a private pool (never clashing with a real grpc_health loaded later).
"""

try:  # the real package, when installed
    from grpc_health.v1 import health_pb2 as _real  # type: ignore

    HealthCheckRequest = _real.HealthCheckRequest
    HealthCheckResponse = _real.HealthCheckResponse
except ImportError:  # build the two messages ourselves
    from google.protobuf import descriptor_pb2, descriptor_pool, message_factory

    def _build():
        f = descriptor_pb2.FileDescriptorProto(
            name="grpc/health/v1/health.proto", package="grpc.health.v1", syntax="proto3"
        )
        req = f.message_type.add(name="HealthCheckRequest")
        req.field.add(
            name="service",
            number=1,
            type=descriptor_pb2.FieldDescriptorProto.TYPE_STRING,
            label=descriptor_pb2.FieldDescriptorProto.LABEL_OPTIONAL,
            json_name="service",
        )
        resp = f.message_type.add(name="HealthCheckResponse")
        enum = resp.enum_type.add(name="ServingStatus")
        for i, n in enumerate(["UNKNOWN", "SERVING", "NOT_SERVING", "SERVICE_UNKNOWN"]):
            enum.value.add(name=n, number=i)
        resp.field.add(
            name="status",
            number=1,
            type=descriptor_pb2.FieldDescriptorProto.TYPE_ENUM,
            type_name=".grpc.health.v1.HealthCheckResponse.ServingStatus",
            label=descriptor_pb2.FieldDescriptorProto.LABEL_OPTIONAL,
            json_name="status",
        )
        pool = descriptor_pool.DescriptorPool()
        pool.Add(f)

        def cls(name):
            desc = pool.FindMessageTypeByName(name)
            if hasattr(message_factory, "GetMessageClass"):  # protobuf >= 4.22
                return message_factory.GetMessageClass(desc)
            return message_factory.MessageFactory(pool).GetPrototype(desc)

        return cls("grpc.health.v1.HealthCheckRequest"), cls("grpc.health.v1.HealthCheckResponse")

    HealthCheckRequest, HealthCheckResponse = _build()

# Status values, as in the generated module.
UNKNOWN = 0
SERVING = 1
NOT_SERVING = 2
SERVICE_UNKNOWN = 3


class HealthStub:
    """grpc.health.v1.Health: Check (unary) and Watch (server streaming)."""

    def __init__(self, channel):
        self.Check = channel.unary_unary(
            "/grpc.health.v1.Health/Check",
            request_serializer=HealthCheckRequest.SerializeToString,
            response_deserializer=HealthCheckResponse.FromString,
        )
        self.Watch = channel.unary_stream(
            "/grpc.health.v1.Health/Watch",
            request_serializer=HealthCheckRequest.SerializeToString,
            response_deserializer=HealthCheckResponse.FromString,
        )


__all__ = [
    "HealthCheckRequest",
    "HealthCheckResponse",
    "HealthStub",
    "UNKNOWN",
    "SERVING",
    "NOT_SERVING",
    "SERVICE_UNKNOWN",
]
