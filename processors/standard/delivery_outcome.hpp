// How a delivery processor (PublishAMQP, PublishJMS) reports what became of one FlowFile: delivered (a SEND
// provenance event to the transit URI, then success), not confirmed (retry, for the engine's retry policy)
// or refused (penalized, failure, logged), the last two with the reason in an attribute.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "sluice/context.hpp"
#include "sluice/session.hpp"

namespace sluice::standard {

enum class DeliveryOutcome : std::uint8_t { kDelivered, kRetry, kFailure };

inline void route_delivery(const ProcessContext& context, ProcessSession& session, FlowFile& ff,
                           DeliveryOutcome outcome, std::string_view transit_uri, std::string_view reason,
                           std::string_view reason_attribute) {
  switch (outcome) {
    case DeliveryOutcome::kDelivered:
      session.report_send(ff, transit_uri);
      session.transfer(ff, "success");
      return;
    case DeliveryOutcome::kFailure:
      context.log(LogLevel::kWarn, "FlowFile " + ff.uuid() + " to failure: " + std::string(reason));
      session.put_attribute(ff, reason_attribute, reason);
      session.penalize(ff);
      session.transfer(ff, "failure");
      return;
    case DeliveryOutcome::kRetry:
      session.put_attribute(ff, reason_attribute, reason);
      session.transfer(ff, "retry");
      return;
  }
}

}  // namespace sluice::standard
