/* What a command, a layer or a change of state asks of the screen: bits the screen turns into
 * repaints. Handlers return them instead of setting flags by hand, so what is repainted follows
 * from what changed. */
#ifndef HCP_TUI_REDRAW_H
#define HCP_TUI_REDRAW_H

#define RD_NONE 0x00u
#define RD_HEADER 0x01u /* the header line */
#define RD_MAIN 0x02u   /* the tab line and the pane, detail view or layer below it */
#define RD_HINT 0x04u   /* the hint bar */
#define RD_MSG 0x08u    /* the message line */
#define RD_ALL 0x0fu
#define RD_CLEAR 0x10u  /* forget what the terminal shows: every cell is sent again */
#define RD_QUIT 0x20u   /* the console ends */

#endif
