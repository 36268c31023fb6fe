C360.tokens("696e",["in",3,"in",14,"inbox",10,"indore",12]);
