#include "amqp_message.hpp"

#include <array>
#include <charconv>
#include <cstdint>

#include "amqp_connection.hpp"

namespace sluice::amqp {

namespace {

// Core attributes the engine computes or owns: never sent as headers, never overwritten from headers.
bool core_attribute(std::string_view name) {
  return name == "uuid" || name == "fileSize" || name == "entryDate" || name == "lineageStartDate";
}

template <typename T>
void put_number(ProcessSession& session, FlowFile& ff, std::string_view name, T value) {
  std::array<char, 32> text{};
  const auto [end, ec] = std::to_chars(text.data(), text.data() + text.size(), value);
  if (ec == std::errc())
    session.put_attribute(ff, name,
                          std::string_view(text.data(), static_cast<std::size_t>(end - text.data())));
}

// A header value as attribute text; false for kinds that have no text form (tables, arrays, void).
void put_header(ProcessSession& session, FlowFile& ff, std::string_view name,
                const amqp_field_value_t& value) {
  switch (value.kind) {
    case AMQP_FIELD_KIND_UTF8:
    case AMQP_FIELD_KIND_BYTES: session.put_attribute(ff, name, to_view(value.value.bytes)); break;
    case AMQP_FIELD_KIND_BOOLEAN:
      session.put_attribute(ff, name, value.value.boolean != 0 ? "true" : "false");
      break;
    case AMQP_FIELD_KIND_I8: put_number(session, ff, name, value.value.i8); break;
    case AMQP_FIELD_KIND_U8: put_number(session, ff, name, value.value.u8); break;
    case AMQP_FIELD_KIND_I16: put_number(session, ff, name, value.value.i16); break;
    case AMQP_FIELD_KIND_U16: put_number(session, ff, name, value.value.u16); break;
    case AMQP_FIELD_KIND_I32: put_number(session, ff, name, value.value.i32); break;
    case AMQP_FIELD_KIND_U32: put_number(session, ff, name, value.value.u32); break;
    case AMQP_FIELD_KIND_I64: put_number(session, ff, name, value.value.i64); break;
    case AMQP_FIELD_KIND_U64:
    case AMQP_FIELD_KIND_TIMESTAMP: put_number(session, ff, name, value.value.u64); break;
    case AMQP_FIELD_KIND_F32: put_number(session, ff, name, value.value.f32); break;
    case AMQP_FIELD_KIND_F64: put_number(session, ff, name, value.value.f64); break;
    default: break;
  }
}

}  // namespace

OutgoingMessage::Span OutgoingMessage::keep(std::string_view text) {
  const Span span{arena_.size(), text.size()};
  arena_.append(text);
  return span;
}

amqp_bytes_t OutgoingMessage::bytes(Span span) const {
  return to_bytes(std::string_view(arena_).substr(span.offset, span.size));
}

const amqp_basic_properties_t& OutgoingMessage::build(const FlowFile& ff, bool persistent,
                                                      standard::Matcher* headers) {
  arena_.clear();
  header_spans_.clear();
  // Texts go to the arena first (it may grow), pointers are taken once it is complete.
  const Span message_id = keep(ff.uuid());
  std::array<std::optional<Span>, std::size(kPropertyAttributes)> property_spans;
  for (std::size_t i = 0; i < std::size(kPropertyAttributes); ++i) {
    if (auto value = ff.attribute(kPropertyAttributes[i].attribute)) property_spans[i] = keep(value->view());
  }
  if (headers != nullptr) {
    ff.for_each_attribute([&](std::string_view name, std::string_view value) {
      if (core_attribute(name) || !headers->find(name, 0, true)) return;
      const Span key = keep(name);
      header_spans_.emplace_back(key, keep(value));
    });
  }

  properties_ = amqp_basic_properties_t{};
  properties_._flags = AMQP_BASIC_DELIVERY_MODE_FLAG | AMQP_BASIC_MESSAGE_ID_FLAG;
  properties_.delivery_mode = persistent ? 2 : 1;
  properties_.message_id = bytes(message_id);
  for (std::size_t i = 0; i < std::size(kPropertyAttributes); ++i) {
    if (!property_spans[i]) continue;
    properties_._flags |= kPropertyAttributes[i].flag;
    properties_.*kPropertyAttributes[i].field = bytes(*property_spans[i]);
  }
  entries_.resize(header_spans_.size());
  for (std::size_t i = 0; i < header_spans_.size(); ++i) {
    entries_[i].key = bytes(header_spans_[i].first);
    entries_[i].value.kind = AMQP_FIELD_KIND_UTF8;
    entries_[i].value.value.bytes = bytes(header_spans_[i].second);
  }
  if (!entries_.empty()) {
    properties_._flags |= AMQP_BASIC_HEADERS_FLAG;
    properties_.headers.num_entries = static_cast<int>(entries_.size());
    properties_.headers.entries = entries_.data();
  }
  return properties_;
}

void put_message_attributes(ProcessSession& session, FlowFile& ff, const amqp_envelope_t& envelope,
                            standard::Matcher* headers) {
  const amqp_basic_properties_t& p = envelope.message.properties;
  session.put_attribute(ff, "amqp.exchange", to_view(envelope.exchange));
  session.put_attribute(ff, "amqp.routing.key", to_view(envelope.routing_key));
  session.put_attribute(ff, "amqp.redelivered", envelope.redelivered != 0 ? "true" : "false");
  if ((p._flags & AMQP_BASIC_MESSAGE_ID_FLAG) != 0)
    session.put_attribute(ff, "amqp.message.id", to_view(p.message_id));
  for (const PropertyAttribute& property : kPropertyAttributes) {
    if ((p._flags & property.flag) != 0)
      session.put_attribute(ff, property.attribute, to_view(p.*property.field));
  }
  if ((p._flags & AMQP_BASIC_TIMESTAMP_FLAG) != 0) put_number(session, ff, "amqp.timestamp", p.timestamp);
  if (headers == nullptr || (p._flags & AMQP_BASIC_HEADERS_FLAG) == 0) return;
  for (int i = 0; i < p.headers.num_entries; ++i) {
    const amqp_table_entry_t& entry = p.headers.entries[i];
    const std::string_view name = to_view(entry.key);
    if (name.empty() || core_attribute(name) || !headers->find(name, 0, true)) continue;
    put_header(session, ff, name, entry.value);
  }
}

}  // namespace sluice::amqp
