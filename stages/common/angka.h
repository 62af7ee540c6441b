/*
 * angka.h - version and the stage contract shared by every executable.
 *
 * Stage contract: CSV in from files or stdin ("-"), CSV out to stdout or
 * -o FILE (written atomically), diagnostics to stderr only. Every record row
 * carries src_file and src_line. Conservation: rows in = rows out + rows
 * quarantined (+ rows folded into duplicate clusters), printed on stderr.
 * Exit codes: 0 success, 1 data error, 2 usage or config error, 75 locked,
 * 128+N a child died by signal N.
 */
#ifndef ANGKA_H
#define ANGKA_H

#define ANGKA_VERSION "0.1.0"

#include "err.h"
#include "diag.h"
#include "xalloc.h"
#include "input.h"
#include "csv_reader.h"
#include "csv_writer.h"
#include "profile.h"
#include "config.h"
#include "quarantine.h"

#endif
