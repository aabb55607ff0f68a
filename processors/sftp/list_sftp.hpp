// ListSFTP: lists new files in a directory of an SFTP server, one content-less FlowFile per file, keeping
// its position durably so that a restart does not list a file again.
#pragma once

#include "sluice/processor.hpp"

namespace sluice::sftp {

const ProcessorDefinition& list_sftp_definition();

}  // namespace sluice::sftp
