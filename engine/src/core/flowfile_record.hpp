// The engine's FlowFile: a compact value moved between queues and sessions (no heap object of its own).
#pragma once

#include <array>
#include <cstdint>
#include <string>

#include "core/attributes.hpp"
#include "core/content_claim.hpp"

namespace sluice::internal {

using Uuid = std::array<std::uint8_t, 16>;

Uuid random_uuid();
std::string uuid_to_string(const Uuid& u);
bool parse_uuid(std::string_view text, Uuid& out);

struct FlowFileRecord {
  std::uint64_t id = 0;  // repository identity, monotonic; also the FIFO order
  Uuid uuid{};
  std::int64_t entry_ms = 0;
  std::int64_t lineage_start_ms = 0;
  std::int64_t penalty_until_ms = 0;
  Attributes attributes;  // stored attributes; the core ones are computed (see FlowFile::attribute)
  ContentClaim content;
  std::uint32_t session_slot = 0;  // scratch for the session holding it (index of its entry); not persisted

  [[nodiscard]] std::uint64_t size() const { return content.length; }
};

}  // namespace sluice::internal
