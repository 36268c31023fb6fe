C360.tokens("6d65",["meena",24,"meena",25,"meena@rediffmail.com",26]);
