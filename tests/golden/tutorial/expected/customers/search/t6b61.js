C360.tokens("6b61",["karan",56,"karan",57,"karan@yahoo.co.in",58]);
