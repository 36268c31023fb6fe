C360.tokens("7368",["sharma",12]);
