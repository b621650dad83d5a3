// The station program; everything lives in the station library (station/cli.h).
#include "station/cli.h"

int main(int argc, char** argv) { return intake::station::RealMain(argc, argv); }
