C360.tokens("7072",["priya",4]);
