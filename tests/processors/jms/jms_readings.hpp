// What the publish tests of both transports send: `count` TextMessages "reading I" with a property
// meter.id=MI that `properties: meter\..*` selects, an attribute it does not (filename), and the JMS header
// attributes (correlation id cI, type "reading", reply-to /queue/replies).
#pragma once

#include <string>

#include "sluice/testkit.hpp"

namespace sluice::testing {

inline void enqueue_readings(testkit::ProcessorRunner& runner, const std::string& destination, int count) {
  runner.set_property("destination", destination)
      .set_property("message_type", "text")
      .set_property("properties", "meter\\..*")
      .set_batch(static_cast<std::size_t>(count) * 2);
  for (int i = 0; i < count; ++i) {
    runner.enqueue("reading " + std::to_string(i), {{"meter.id", "M" + std::to_string(i)},
                                                    {"filename", "f"},
                                                    {"jms.correlation.id", "c" + std::to_string(i)},
                                                    {"jms.type", "reading"},
                                                    {"jms.reply.to", "/queue/replies"}});
  }
}

}  // namespace sluice::testing
