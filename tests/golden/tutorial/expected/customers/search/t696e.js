C360.tokens("696e",["in",12,"in",56,"inbox",40,"indore",48]);
