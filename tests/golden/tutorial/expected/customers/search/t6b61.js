C360.tokens("6b61",["karan",14]);
