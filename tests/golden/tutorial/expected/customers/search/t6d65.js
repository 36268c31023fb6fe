C360.tokens("6d65",["meena",8,"meena",9,"meena@rediffmail.com",10]);
