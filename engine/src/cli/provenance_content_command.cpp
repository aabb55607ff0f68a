#include <fstream>
#include <iostream>

#include <fmt/format.h>

#include "cli/commands.hpp"
#include "provenance/queries.hpp"

namespace sluice::cli {

int provenance_content_command(const ProvenanceContentOptions& options) {
  namespace prov = internal::provenance;
  if (options.input && options.output) {
    std::cerr << "--input and --output exclude each other\n";
    return kExitInvalid;
  }
  const prov::Queries queries(options.data_dir);
  const auto event = queries.event(options.event_id);
  if (!event) {
    std::cerr << fmt::format("there is no provenance event {}\n", options.event_id);
    return kExitError;
  }
  prov::ContentSide side = options.input ? prov::ContentSide::kInput : prov::ContentSide::kOutput;
  if (!options.input && !options.output && !event->content_out) side = prov::ContentSide::kInput;
  const prov::ContentStatus status = queries.content_status(*event, side);
  if (!status.available) {
    std::cerr << status.reason << '\n';
    return kExitError;
  }
  try {
    if (options.out.empty()) {
      queries.read_content(*event, side, std::cout);
      std::cout.flush();
    } else {
      std::ofstream file(options.out, std::ios::binary | std::ios::trunc);
      if (!file) {
        std::cerr << fmt::format("cannot write {}\n", options.out.string());
        return kExitError;
      }
      queries.read_content(*event, side, file);
    }
  } catch (const std::runtime_error& e) {
    std::cerr << e.what() << '\n';
    return kExitError;
  }
  return kExitOk;
}

}  // namespace sluice::cli
