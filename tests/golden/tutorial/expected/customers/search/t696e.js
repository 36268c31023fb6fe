C360.tokens("696e",["in",40,"in",56,"inbox",4,"indore",16]);
