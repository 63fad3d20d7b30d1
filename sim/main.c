/* hcpsim entry point (the simulator is being built; see issue 2). */
#include <stdio.h>

int main(void)
{
    fputs("hcpsim: not built yet\n", stderr);
    return 2;
}
