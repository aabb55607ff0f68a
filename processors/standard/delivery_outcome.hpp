// What a delivery processor (PublishAMQP, PublishJMS) knows of each FlowFile of a batch on its way out, and
// how it reports the end: delivered (a SEND provenance event to the transit URI, then success), not
// confirmed (retry, for the engine's retry policy) or refused (penalized, failure, logged), the last two with
// the reason in an attribute.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "sluice/context.hpp"
#include "sluice/session.hpp"

namespace sluice::standard {

enum class DeliveryOutcome : std::uint8_t {
  kUnsent,     // not handed to the peer yet
  kSent,       // handed over; the peer has not answered
  kDelivered,  // the peer confirmed it
  kRetry,      // not confirmed: try again later
  kFailure,    // refused: trying again will not help
};

struct Delivery {
  FlowFile ff;
  DeliveryOutcome outcome = DeliveryOutcome::kUnsent;
  std::string reason;

  void settle(DeliveryOutcome result, std::string_view why = {}) {
    outcome = result;
    reason.assign(why);
  }
};

// One trigger's batch; reused across triggers so that its entries keep their capacity.
class DeliveryBatch {
 public:
  void reset(const std::vector<FlowFile>& flow_files) {
    entries_.resize(flow_files.size());
    for (std::size_t i = 0; i < flow_files.size(); ++i) {
      entries_[i].ff = flow_files[i];
      entries_[i].settle(DeliveryOutcome::kUnsent);
    }
  }
  [[nodiscard]] std::size_t size() const { return entries_.size(); }
  Delivery& operator[](std::size_t i) { return entries_[i]; }
  [[nodiscard]] std::vector<Delivery>& entries() { return entries_; }

  // After an error that ends the batch: whatever the peer has not answered is unaccounted for, so it is
  // retried (`transient`) or failed, never reported delivered. A retry may duplicate a message the peer
  // stored but could not confirm (at-least-once).
  void settle_unanswered(const ProcessContext& context, bool transient, std::string_view reason) {
    context.log(LogLevel::kWarn, std::string(reason) + (transient ? "; will retry" : ""));
    for (Delivery& d : entries_) {
      if (d.outcome == DeliveryOutcome::kUnsent || d.outcome == DeliveryOutcome::kSent)
        d.settle(transient ? DeliveryOutcome::kRetry : DeliveryOutcome::kFailure, reason);
    }
  }

  // Transfers every FlowFile; `uri(index)` names where a delivered one went (provenance, no credentials).
  template <typename UriFunction>
  void route_all(const ProcessContext& context, ProcessSession& session, std::string_view reason_attribute,
                 const UriFunction& uri) {
    for (std::size_t i = 0; i < entries_.size(); ++i) {
      Delivery& d = entries_[i];
      if (d.outcome == DeliveryOutcome::kDelivered) {
        session.report_send(d.ff, uri(i));
        session.transfer(d.ff, "success");
      } else if (d.outcome == DeliveryOutcome::kFailure) {
        context.log(LogLevel::kWarn, "FlowFile " + d.ff.uuid() + " to failure: " + d.reason);
        session.put_attribute(d.ff, reason_attribute, d.reason);
        session.penalize(d.ff);
        session.transfer(d.ff, "failure");
      } else {
        session.put_attribute(d.ff, reason_attribute, d.reason);
        session.transfer(d.ff, "retry");
      }
    }
  }

 private:
  std::vector<Delivery> entries_;
};

}  // namespace sluice::standard
