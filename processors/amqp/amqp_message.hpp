// FlowFile attributes to AMQP message properties and headers, and back. PublishAMQP sends the attributes
// whose names match its regex as headers (text values) and a few `amqp.*` attributes as message properties;
// ConsumeAMQP turns headers whose names match its regex into attributes of the same names, and the
// message's exchange, routing key and properties into `amqp.*` attributes, so a round trip keeps both.
#pragma once

#include <amqp.h>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "regex.hpp"
#include "sluice/flowfile.hpp"
#include "sluice/session.hpp"

namespace sluice::amqp {

// The message properties kept as `amqp.*` attributes (both directions), besides message_id.
struct PropertyAttribute {
  std::string_view attribute;
  amqp_flags_t flag;
  amqp_bytes_t amqp_basic_properties_t::*field;
};
inline constexpr PropertyAttribute kPropertyAttributes[] = {
    {"amqp.content.type", AMQP_BASIC_CONTENT_TYPE_FLAG, &amqp_basic_properties_t::content_type},
    {"amqp.content.encoding", AMQP_BASIC_CONTENT_ENCODING_FLAG, &amqp_basic_properties_t::content_encoding},
    {"amqp.correlation.id", AMQP_BASIC_CORRELATION_ID_FLAG, &amqp_basic_properties_t::correlation_id},
    {"amqp.reply.to", AMQP_BASIC_REPLY_TO_FLAG, &amqp_basic_properties_t::reply_to},
    {"amqp.type", AMQP_BASIC_TYPE_FLAG, &amqp_basic_properties_t::type},
    {"amqp.app.id", AMQP_BASIC_APP_ID_FLAG, &amqp_basic_properties_t::app_id},
};

// Builds the properties of one outgoing message. Reused across messages: after warm-up it allocates only
// when a message has more or longer headers than any before it.
class OutgoingMessage {
 public:
  // The properties for `ff`: persistent or not, message_id = the FlowFile's uuid (consumers can deduplicate
  // redeliveries by it; returns are matched by it), `amqp.*` properties, and the attributes whose names
  // `headers` matches (none when null) as text headers. Valid until the next call.
  const amqp_basic_properties_t& build(const FlowFile& ff, bool persistent, standard::Matcher* headers);

 private:
  struct Span {
    std::size_t offset;
    std::size_t size;
  };
  Span keep(std::string_view text);
  [[nodiscard]] amqp_bytes_t bytes(Span span) const;

  std::string arena_;  // every text the properties point at
  std::vector<std::pair<Span, Span>> header_spans_;
  std::vector<amqp_table_entry_t> entries_;
  amqp_basic_properties_t properties_{};
};

// Writes the attributes of a received message onto `ff`: amqp.exchange, amqp.routing.key,
// amqp.redelivered, amqp.message.id, the `amqp.*` properties, amqp.timestamp, and the headers whose names
// `headers` matches (none when null) under their own names.
void put_message_attributes(ProcessSession& session, FlowFile& ff, const amqp_envelope_t& envelope,
                            standard::Matcher* headers);

}  // namespace sluice::amqp
