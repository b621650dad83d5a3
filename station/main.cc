// The station program; everything lives in the station library (station/cli.h) and, for
// `station serve`, the web module (web/serve_command.h).
#include "station/cli.h"
#include "web/serve_command.h"

int main(int argc, char** argv) {
  return intake::station::RealMain(argc, argv, {&intake::web::AddServeCommand});
}
