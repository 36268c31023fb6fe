C360.tokens("7061",["patel",20]);
