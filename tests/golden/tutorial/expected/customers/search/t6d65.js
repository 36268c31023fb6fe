C360.tokens("6d65",["meena",6]);
