// FetchSFTP: replaces each FlowFile's content with a file fetched from an SFTP server (the files ListSFTP
// listed), then optionally deletes or moves the remote file once the fetch is committed.
#pragma once

#include "sluice/processor.hpp"

namespace sluice::sftp {

const ProcessorDefinition& fetch_sftp_definition();

}  // namespace sluice::sftp
