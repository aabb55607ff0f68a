// What both AMQP processors are configured with: the broker, the credentials and TLS, as property specs (one
// table shared by PublishAMQP and ConsumeAMQP) and as the settings read back from a context.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "amqp_connection.hpp"
#include "sluice/context.hpp"
#include "sluice/spec.hpp"

namespace sluice::amqp {

std::vector<PropertySpec> connection_properties();
AmqpSettings read_connection_settings(const ComponentContext& context);

// "amqp://host:port/vhost/name" (amqps with TLS): where messages went or came from, for provenance (never
// with credentials). `name` is the exchange and routing key, or the queue.
std::string transit_uri(const AmqpSettings& settings, std::string_view name);

// The attribute a FlowFile routed to retry or failure carries, with the reason.
inline constexpr std::string_view kReasonAttribute = "amqp.failure.reason";

}  // namespace sluice::amqp
