/* The console's UTF-8 helpers are the common strict decoder and encoder: one definition of valid
 * text for the simulator and the console alike. The sanitizer, key names and the prompt include this
 * header; new code may include common/utf8.h directly. */
#ifndef HCP_TUI_UTF8_H
#define HCP_TUI_UTF8_H

#include "common/utf8.h"

#endif
