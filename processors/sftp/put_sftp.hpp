// PutSFTP: uploads FlowFile content to a directory on an SFTP server, under a temporary name renamed into
// place once complete, through a pool of reused connections.
#pragma once

#include "sluice/processor.hpp"

namespace sluice::sftp {

const ProcessorDefinition& put_sftp_definition();

}  // namespace sluice::sftp
