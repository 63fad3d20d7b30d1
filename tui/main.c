/* hcptui entry point (the console is being built; see issue 4). */
#include <stdio.h>

int main(void)
{
    fputs("hcptui: the console is not built yet\n", stderr);
    return 2;
}
